import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Caller } from '../core/domain/caller';
import { webhookError } from '../core/i18n/webhooks';
import type { CirculationEvent } from '../core/log/event';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from '../core/webhooks/signature';
import {
  backoffMinutes,
  deliveryId,
  type EndpointRules,
  endpointProblem,
  MAX_ATTEMPTS,
  type WebhookEventType,
  webhookEventId,
  webhookEventTypeOf,
  webhookPayload,
} from '../core/webhooks/webhooks';
import type { DocumentRepository } from '../ports/documents';
import type {
  SecretBox,
  StoredSecret,
  Webhook,
  WebhookDelivery,
  WebhookStore,
  WebhookTransport,
} from '../ports/webhooks';

/*
 * Webhooks (core/webhooks/webhooks.ts says what and why): an organisation's administrators manage its
 * subscriptions; the fan-out (fed by the circulation log's stream) writes one pending delivery per
 * subscription an event matches; the sender (a schedule, every minute) tries what is due, signs each try
 * with the secrets in force, and backs off, then dead-letters. A delivery's id is stable: an event given
 * again by the stream adds nothing, and a receiver recognises a retried or replayed delivery by it.
 */

/** Subscriptions per organisation. */
export const MAX_WEBHOOKS = 50;
/** Hours the old secret keeps signing after a rotation, unless the rotation says otherwise. */
export const DEFAULT_OVERLAP_HOURS = 24;

export interface WebhookAdminPorts {
  readonly webhooks: WebhookStore;
  readonly secrets: SecretBox;
  readonly endpoints: EndpointRules;
  now(): Date;
}

/** A subscription as its administrators see it: never a secret, only which secrets are in force. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly enabled: boolean;
  readonly description?: string;
  readonly createdAt: string;
  readonly secrets: readonly {
    readonly id: string;
    readonly createdAt: string;
    readonly expiresAt?: string;
  }[];
}

const view = (w: Webhook, now: Date): WebhookView => ({
  id: w.id,
  url: w.url,
  events: w.events,
  enabled: w.enabled,
  ...(w.description ? { description: w.description } : {}),
  createdAt: w.createdAt,
  secrets: inForce(w.secrets, now).map(({ id, createdAt, expiresAt }) => ({
    id,
    createdAt,
    ...(expiresAt ? { expiresAt } : {}),
  })),
});

const inForce = (secrets: readonly StoredSecret[], at: Date) =>
  secrets.filter((s) => s.expiresAt === undefined || Date.parse(s.expiresAt) > at.getTime());

const requireOrgAdmin = (caller: Caller): string => {
  if (caller.actor.position.role !== 'admin') throw webhookError('webhook_admins_only', 403);
  return caller.actor.position.orgId;
};

/** The caller's organisation's webhook: 404 for an id it does not have (whoever asks), 403 for non-administrators. */
async function ownWebhook(ports: Pick<WebhookAdminPorts, 'webhooks'>, caller: Caller, id: string) {
  const webhook = await ports.webhooks.getWebhook(caller.actor.position.orgId, id);
  if (!webhook) throw webhookError('webhook_not_found', 404, { id });
  requireOrgAdmin(caller);
  return webhook;
}

function checkEndpoint(url: string, rules: EndpointRules): void {
  const problem = endpointProblem(url, rules);
  if (problem) throw webhookError(`webhook_${problem}`, 422, { url });
}

/** `whsec_` and 32 random bytes: shown once, at registration or rotation. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const secretContext = (webhook: Pick<Webhook, 'id' | 'orgId'>, secretId: string) => ({
  webhookId: webhook.id,
  orgId: webhook.orgId,
  secretId,
});

async function sealedSecret(
  ports: Pick<WebhookAdminPorts, 'secrets'>,
  webhook: Pick<Webhook, 'id' | 'orgId'>,
  at: Date,
) {
  const secret = newSecret();
  const id = randomUUID();
  const stored: StoredSecret = {
    id,
    sealed: await ports.secrets.seal(secret, secretContext(webhook, id)),
    createdAt: at.toISOString(),
  };
  return { secret, stored };
}

export interface RegisterWebhookInput {
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description?: string;
}

export async function registerWebhook(
  ports: WebhookAdminPorts,
  caller: Caller,
  input: RegisterWebhookInput,
): Promise<{ webhook: WebhookView; secret: string }> {
  const orgId = requireOrgAdmin(caller);
  checkEndpoint(input.url, ports.endpoints);
  const existing = await ports.webhooks.listWebhooks(orgId);
  if (existing.length >= MAX_WEBHOOKS) throw webhookError('webhook_too_many', 409, { max: MAX_WEBHOOKS });
  const now = ports.now();
  const id = randomUUID();
  const { secret, stored } = await sealedSecret(ports, { id, orgId }, now);
  const webhook: Webhook = {
    id,
    orgId,
    url: input.url,
    events: [...new Set(input.events)],
    enabled: true,
    ...(input.description ? { description: input.description } : {}),
    createdAt: now.toISOString(),
    createdBy: caller.actor.id,
    secrets: [stored],
  };
  await ports.webhooks.putWebhook(webhook);
  return { webhook: view(webhook, now), secret };
}

export async function listWebhooks(
  ports: WebhookAdminPorts,
  caller: Caller,
): Promise<{ items: WebhookView[] }> {
  const orgId = requireOrgAdmin(caller);
  const now = ports.now();
  const items = await ports.webhooks.listWebhooks(orgId);
  return { items: items.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((w) => view(w, now)) };
}

export interface UpdateWebhookInput {
  readonly enabled?: boolean;
  readonly events?: readonly WebhookEventType[];
  readonly url?: string;
  readonly description?: string;
}

export async function updateWebhook(
  ports: WebhookAdminPorts,
  caller: Caller,
  id: string,
  input: UpdateWebhookInput,
): Promise<WebhookView> {
  const webhook = await ownWebhook(ports, caller, id);
  if (input.url !== undefined) checkEndpoint(input.url, ports.endpoints);
  const updated: Webhook = {
    ...webhook,
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  await ports.webhooks.putWebhook(updated);
  return view(updated, ports.now());
}

export async function deleteWebhook(
  ports: WebhookAdminPorts,
  caller: Caller,
  id: string,
): Promise<{ deleted: string }> {
  await ownWebhook(ports, caller, id);
  await ports.webhooks.deleteWebhook(caller.actor.position.orgId, id);
  return { deleted: id };
}

/**
 * A new secret, shown once; the ones in force keep signing for `overlapHours` (both signatures in the
 * header meanwhile), so the receiver can switch when it likes without missing a delivery. 0 ends the old
 * ones at once (a leaked secret).
 */
export async function rotateWebhookSecret(
  ports: WebhookAdminPorts,
  caller: Caller,
  id: string,
  overlapHours: number = DEFAULT_OVERLAP_HOURS,
): Promise<{ webhook: WebhookView; secret: string }> {
  const webhook = await ownWebhook(ports, caller, id);
  const now = ports.now();
  const until = new Date(now.getTime() + overlapHours * 3600_000).toISOString();
  const { secret, stored } = await sealedSecret(ports, webhook, now);
  const kept = inForce(webhook.secrets, now).map((s) =>
    s.expiresAt !== undefined && s.expiresAt < until ? s : { ...s, expiresAt: until },
  );
  const updated: Webhook = { ...webhook, secrets: [...kept, stored] };
  await ports.webhooks.putWebhook(updated);
  return { webhook: view(updated, now), secret };
}

export interface DeliveryView {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly documentId: string;
  readonly status: WebhookDelivery['status'];
  readonly attempts: number;
  readonly createdAt: string;
  readonly nextAttemptAt?: string;
  readonly lastAttemptAt?: string;
  readonly lastStatusCode?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
}

const deliveryView = ({
  payload: _payload,
  webhookId: _w,
  orgId: _o,
  ...rest
}: WebhookDelivery): DeliveryView => rest;

export async function listDeliveries(
  ports: WebhookAdminPorts,
  caller: Caller,
  id: string,
  limit: number,
): Promise<{ items: DeliveryView[] }> {
  await ownWebhook(ports, caller, id);
  const items = await ports.webhooks.listDeliveries(id, limit);
  return { items: items.map(deliveryView) };
}

/** Sends a delivery again, with a fresh round of tries, at the sender's next run; its id stays. */
export async function replayDelivery(
  ports: WebhookAdminPorts,
  caller: Caller,
  id: string,
  deliveryIdToReplay: string,
): Promise<DeliveryView> {
  const webhook = await ownWebhook(ports, caller, id);
  if (!webhook.enabled) throw webhookError('webhook_disabled', 409, { id });
  // Only ids of the form deliveries have reach the store (a path may carry anything).
  const delivery = /^[0-9TZ]{15,20}-[0-9a-f]{20}$/.test(deliveryIdToReplay)
    ? await ports.webhooks.getDelivery(id, deliveryIdToReplay)
    : undefined;
  if (!delivery) throw webhookError('webhook_delivery_not_found', 404, { id: deliveryIdToReplay });
  // A sender's claim on it ends here: that sender's outcome is not saved over the replay.
  const { claimId: _claim, claimedUntil: _until, ...unclaimed } = delivery;
  const replayed: WebhookDelivery = {
    ...unclaimed,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: ports.now().toISOString(),
  };
  await ports.webhooks.saveDelivery(replayed);
  return deliveryView(replayed);
}

// --- Fan-out from the log's stream ----------------------------------------------------------------------------

export interface WebhookFanOutPorts {
  readonly webhooks: Pick<WebhookStore, 'listWebhooks' | 'addDelivery'>;
  readonly documents: Pick<DocumentRepository, 'read'>;
  now(): Date;
}

/** The deliveries one log event makes (one per enabled subscription of its organisation that wants it). */
export async function fanOutEvent(ports: WebhookFanOutPorts, event: CirculationEvent): Promise<number> {
  const type = webhookEventTypeOf(event);
  if (!type) return 0;
  const subscribed = (await ports.webhooks.listWebhooks(event.orgId)).filter(
    (w) => w.enabled && w.events.includes(type),
  );
  if (subscribed.length === 0) return 0;
  const snapshot = await ports.documents.read(event.documentId);
  const incoming = snapshot.incoming.find((r) => r.orgId === event.orgId);
  // The organisation's own view only: the sender's document for its steps, its own record for a recipient's.
  const state =
    incoming && snapshot.document?.orgId !== event.orgId ? { incoming } : { document: snapshot.document };
  const payload = JSON.stringify(webhookPayload(event, type, state));
  const eventId = webhookEventId(event);
  const now = ports.now().toISOString();
  const added = await Promise.all(
    subscribed.map((w) =>
      ports.webhooks.addDelivery({
        id: deliveryId(event.at, createHash('sha256').update(`${w.id}\n${eventId}`).digest('hex')),
        webhookId: w.id,
        orgId: w.orgId,
        eventId,
        eventType: type,
        documentId: event.documentId,
        payload,
        status: 'pending',
        attempts: 0,
        createdAt: now,
        nextAttemptAt: now,
      }),
    ),
  );
  return added.filter(Boolean).length;
}

// --- The sender -----------------------------------------------------------------------------------------------

export interface WebhookSenderPorts {
  readonly webhooks: Pick<WebhookStore, 'getWebhook' | 'dueDeliveries' | 'claimDelivery' | 'settleDelivery'>;
  readonly secrets: Pick<SecretBox, 'open'>;
  readonly transport: WebhookTransport;
  /** The real clock: signatures carry it, since receivers compare it with theirs. */
  now(): Date;
}

export interface SendResult {
  readonly due: number;
  readonly delivered: number;
  readonly retrying: number;
  readonly dead: number;
}

/** Deliveries tried per run (the rest wait a minute); tries at once. */
const SEND_LIMIT = 200;
const PARALLEL = 10;
/**
 * How long (real time) a sender's claim on a delivery holds: far beyond one try (opening the secrets, the
 * transport's 10 s timeout, the save); after it, a sender that died mid-attempt is taken over.
 */
const CLAIM_MS = 5 * 60_000;

/**
 * Tries every delivery due at `at` (the schedule's time): delivered on a 2xx, else tried again after the
 * backoff, and dead after the last try (replayable). Each try is claimed first (a conditional write), so
 * two runs at once (the minute's schedule and another) never both send one attempt; `due` counts what was
 * found, the other counts only what this run tried. A crash after the claim leaves the delivery due, taken
 * over once the claim has lapsed, and sent again with the same id (at least once; receivers drop repeats).
 */
export async function sendDueDeliveries(ports: WebhookSenderPorts, at: Date): Promise<SendResult> {
  const due = await ports.webhooks.dueDeliveries(at.toISOString(), SEND_LIMIT);
  const webhooks = new Map<string, Promise<Webhook | undefined>>();
  const webhookOf = (d: WebhookDelivery) => {
    let found = webhooks.get(d.webhookId);
    if (!found) {
      found = ports.webhooks.getWebhook(d.orgId, d.webhookId);
      webhooks.set(d.webhookId, found);
    }
    return found;
  };
  const counts = { delivered: 0, retrying: 0, dead: 0 };
  const one = async (found: WebhookDelivery) => {
    const claimedAt = ports.now();
    const claimId = randomUUID();
    const delivery = await ports.webhooks.claimDelivery(
      found,
      { id: claimId, until: new Date(claimedAt.getTime() + CLAIM_MS).toISOString() },
      claimedAt.toISOString(),
    );
    if (!delivery) return;
    const webhook = await webhookOf(delivery);
    const attempts = delivery.attempts + 1;
    let outcome: { ok: boolean; status?: number; error?: string };
    if (!webhook?.enabled) {
      outcome = { ok: false, error: webhook ? 'webhook disabled' : 'webhook deleted' };
    } else {
      const now = ports.now();
      const secrets = await Promise.all(
        inForce(webhook.secrets, now).map((s) => ports.secrets.open(s.sealed, secretContext(webhook, s.id))),
      );
      const response = await ports.transport.post({
        url: webhook.url,
        body: delivery.payload,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'docflow-webhooks/1',
          [DELIVERY_HEADER]: delivery.id,
          [EVENT_HEADER]: delivery.eventType,
          [SIGNATURE_HEADER]: signWebhook(delivery.payload, secrets, Math.floor(now.getTime() / 1000)),
        },
      });
      outcome = response.ok ? response : { ok: false, status: response.status, error: response.error };
    }
    const base = {
      ...delivery,
      attempts,
      lastAttemptAt: at.toISOString(),
      lastStatusCode: outcome.status,
      lastError: outcome.error,
    };
    let next: WebhookDelivery;
    let outcomeCount: keyof typeof counts;
    if (outcome.ok) {
      next = { ...base, status: 'delivered', nextAttemptAt: undefined, deliveredAt: at.toISOString() };
      outcomeCount = 'delivered';
    } else if (attempts >= MAX_ATTEMPTS || !webhook?.enabled) {
      next = { ...base, status: 'dead', nextAttemptAt: undefined };
      outcomeCount = 'dead';
    } else {
      next = {
        ...base,
        status: 'pending',
        nextAttemptAt: new Date(at.getTime() + backoffMinutes(attempts) * 60_000).toISOString(),
      };
      outcomeCount = 'retrying';
    }
    // Not saved if this run's claim lapsed and another took the delivery over: that one's outcome stands.
    if (await ports.webhooks.settleDelivery(next, claimId)) counts[outcomeCount]++;
  };
  for (let i = 0; i < due.length; i += PARALLEL) {
    await Promise.all(due.slice(i, i + PARALLEL).map(one));
  }
  return { due: due.length, ...counts };
}
