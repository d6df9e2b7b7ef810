import * as z from 'zod';
import type { IncomingRecord } from '../domain/incoming';
import type { OutgoingDocument } from '../domain/outgoing';
import type { CirculationEvent } from '../log/event';

/*
 * Webhooks for external systems (issue 16): an organisation's administrator subscribes an endpoint to some
 * circulation events; each event of the organisation becomes one delivery per subscription, signed
 * (signature.ts), tried with exponential backoff and dead-lettered after the last try.
 *
 * What an organisation may see: only the events of its own view of a document (`event.orgId`, the sender
 * for its outgoing steps, the recipient for its incoming ones), as its own inbox shows them. What a delivery
 * carries: ids and register metadata (number, symbol, type, dates, organisations), never the file, its
 * digest, the subject (trích yếu) or people's names and notes: a receiver that needs more asks the API as a
 * person allowed to read the document.
 */

export const WEBHOOK_EVENT_TYPES = [
  'document.issued',
  'document.sent',
  'document.received',
  'document.registered',
  'document.assigned',
  'document.completed',
  'document.recalled',
] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** The log's events each webhook event stands for. */
const FROM_LOG: Partial<Record<CirculationEvent['type'], WebhookEventType>> = {
  issued: 'document.issued',
  sent: 'document.sent',
  arrived: 'document.received',
  registered: 'document.registered',
  assigned: 'document.assigned',
  reassigned: 'document.assigned',
  resolved: 'document.completed',
  recalled: 'document.recalled',
  'delivery-recalled': 'document.recalled',
};

export const webhookEventTypeOf = (event: Pick<CirculationEvent, 'type'>): WebhookEventType | undefined =>
  FROM_LOG[event.type];

export const WebhookPayloadSchema = z.object({
  /** `<documentId>.<seq>`: the log event's id, the same in every delivery of it. */
  id: z.string(),
  type: WebhookEventTypeSchema,
  occurredAt: z.string(),
  /** The organisation whose view of the document the event concerns (the subscriber's). */
  organisationId: z.string(),
  document: z.object({
    id: z.string(),
    typeId: z.string().optional(),
    /** Số, ký hiệu: `12/QĐ-UBND`. */
    symbol: z.string().optional(),
    number: z.int().optional(),
    issuedOn: z.string().optional(),
    urgency: z.string().optional(),
    senderOrgId: z.string().optional(),
    recipientOrgIds: z.array(z.string()).optional(),
    /** Số đến, once the recipient registered it. */
    arrivalNumber: z.int().optional(),
    dueDate: z.string().optional(),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export const webhookEventId = (event: Pick<CirculationEvent, 'documentId' | 'seq'>) =>
  `${event.documentId}.${event.seq}`;

/** The payload of a log event, from the event and the document's state as its view is now. */
export function webhookPayload(
  event: CirculationEvent,
  type: WebhookEventType,
  state: { readonly document?: OutgoingDocument; readonly incoming?: IncomingRecord },
): WebhookPayload {
  const d = state.document;
  const r = state.incoming;
  const document: WebhookPayload['document'] = r
    ? {
        id: event.documentId,
        typeId: r.typeId,
        symbol: r.symbol,
        issuedOn: r.issuedOn,
        urgency: r.urgency,
        senderOrgId: r.senderOrgId,
        arrivalNumber: r.arrivalNumber,
        dueDate: r.dueDate,
      }
    : {
        id: event.documentId,
        typeId: d?.typeId,
        symbol: d?.symbol,
        number: d?.number,
        issuedOn: d?.issuedOn,
        urgency: d?.urgency,
        senderOrgId: d?.orgId,
        recipientOrgIds: event.type === 'sent' ? event.payload.recipients.map((x) => x.orgId) : undefined,
      };
  // Absent fields are left out rather than sent as null.
  const present = Object.fromEntries(Object.entries(document).filter(([, v]) => v !== undefined));
  return {
    id: webhookEventId(event),
    type,
    occurredAt: event.at,
    organisationId: event.orgId,
    document: present as WebhookPayload['document'],
  };
}

// --- Attempts -------------------------------------------------------------------------------------------------

/** Tries in all, the first included; after the last failed one the delivery is dead (dead-lettered). */
export const MAX_ATTEMPTS = 6;
/** Minutes after the n-th failed try (1-based) before the next: 1, 4, 16, 64, 256 (about 5 h 40 in all). */
export const backoffMinutes = (failedAttempts: number) => 4 ** Math.max(0, failedAttempts - 1);

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery's id: stable for an event and a subscription (the stream may give an event twice), sortable by time. */
export function deliveryId(eventAt: string, hash: string): string {
  return `${eventAt.replace(/[-:.]/g, '')}-${hash.slice(0, 20)}`;
}

// --- Endpoints --------------------------------------------------------------------------------------------

export interface EndpointRules {
  /** Locally: `http://127.0.0.1` (and `localhost`) allowed, so tests run a receiver. Never deployed. */
  readonly allowLoopback: boolean;
}

export type EndpointProblem = 'invalid_url' | 'https_required' | 'private_address';

const ipv4 = (host: string) => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
};

/** Loopback, private (RFC 1918, CGNAT, unique local), link-local (the metadata service), unspecified, multicast. */
export function isInternalAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  const v4 = ipv4(mapped ?? host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (!host.includes(':')) return false;
  return (
    host === '::' ||
    host === '::1' ||
    /^f[cd]/.test(host) ||
    /^fe[89ab]/.test(host) ||
    /^ff/.test(host) ||
    host.startsWith('::ffff:') ||
    host.startsWith('64:ff9b:')
  );
}

export const isLoopbackHost = (host: string) =>
  host === 'localhost' || host === '[::1]' || ipv4(host)?.[0] === 127;

/**
 * Whether an endpoint may be registered: https (or, locally only, http to the loopback) and a host that is
 * not an internal address. Names are resolved again at each delivery and every address they resolve to is
 * checked then (adapters/webhook-transport.ts), so a name that later points inside is refused too.
 */
export function endpointProblem(url: string, rules: EndpointRules): EndpointProblem | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid_url';
  }
  if (parsed.username || parsed.password || parsed.hash) return 'invalid_url';
  const loopback = isLoopbackHost(parsed.hostname);
  if (rules.allowLoopback && loopback)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : 'invalid_url';
  if (parsed.protocol !== 'https:') return 'https_required';
  if (
    loopback ||
    isInternalAddress(parsed.hostname) ||
    /\.(internal|local|localhost)$/i.test(parsed.hostname)
  )
    return 'private_address';
  return undefined;
}
