import type { DeliveryStatus, WebhookEventType } from '../core/webhooks/webhooks';

/** One signing secret of a subscription, as stored: sealed (KMS), never in clear. */
export interface StoredSecret {
  readonly id: string;
  readonly sealed: string;
  readonly createdAt: string;
  /** Set when a newer secret replaced it: it signs with the new one until then (the rotation's overlap). */
  readonly expiresAt?: string;
}

export interface Webhook {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly enabled: boolean;
  readonly description?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly secrets: readonly StoredSecret[];
}

export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly orgId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly documentId: string;
  /** The JSON body sent, the same on every attempt. */
  readonly payload: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: string;
  /** While pending: when the sweeper tries next. */
  readonly nextAttemptAt?: string;
  readonly lastAttemptAt?: string;
  /** The receiver's HTTP status of the last try, or what went wrong before one. */
  readonly lastStatusCode?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
  /**
   * While a sender is trying it: that sender's claim, and until when (real time) it holds; another sender
   * may take it over only after that (a sender that died mid-attempt).
   */
  readonly claimId?: string;
  readonly claimedUntil?: string;
}

/**
 * Subscriptions and their deliveries: DynamoDB deployed and locally (adapters/webhook-store.ts), in memory
 * for use-case tests. Pending deliveries are found by when they are due (a sparse index).
 */
export interface WebhookStore {
  listWebhooks(orgId: string): Promise<Webhook[]>;
  getWebhook(orgId: string, id: string): Promise<Webhook | undefined>;
  putWebhook(webhook: Webhook): Promise<void>;
  deleteWebhook(orgId: string, id: string): Promise<void>;
  /** Adds the delivery unless it exists (an event given again adds nothing); true if added. */
  addDelivery(delivery: WebhookDelivery): Promise<boolean>;
  getDelivery(webhookId: string, id: string): Promise<WebhookDelivery | undefined>;
  /** Newest first. */
  listDeliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]>;
  /** Replaces the delivery's state (status, attempts, times, outcome). */
  saveDelivery(delivery: WebhookDelivery): Promise<void>;
  /**
   * Takes a due delivery for one attempt, atomically: only if it is still pending at the same number of
   * attempts and no other sender's claim holds at `now` (real time). The claimed delivery, or undefined when
   * another sender has it or has already tried it.
   */
  claimDelivery(
    delivery: WebhookDelivery,
    claim: { readonly id: string; readonly until: string },
    now: string,
  ): Promise<WebhookDelivery | undefined>;
  /** Saves the state after the attempt of claim `claimId` (claim cleared), unless it was taken over; true if saved. */
  settleDelivery(delivery: WebhookDelivery, claimId: string): Promise<boolean>;
  /** Pending deliveries due at `at`, oldest first. */
  dueDeliveries(at: string, limit: number): Promise<WebhookDelivery[]>;
}

/** Seals signing secrets: KMS Encrypt/Decrypt with the subscription in the encryption context. */
export interface SecretBox {
  seal(secret: string, context: Readonly<Record<string, string>>): Promise<string>;
  open(sealed: string, context: Readonly<Record<string, string>>): Promise<string>;
}

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the receiver answered, or why nothing was answered. */
export type WebhookResponse =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string };

/** POSTs a delivery (adapters/webhook-transport.ts: refuses internal addresses at connect time, times out). */
export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
