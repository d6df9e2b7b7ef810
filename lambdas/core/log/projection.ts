import { type Delivery, deliveryOf, pendingDelivery } from '../domain/delivery';
import type { EventDraft, Signature } from '../domain/events';
import { evolveIncoming, type IncomingRecord } from '../domain/incoming';
import { evolveOutgoing, type OutgoingDocument, type OutgoingState } from '../domain/outgoing';

/**
 * The view of one document rebuilt from its log: the sender's document, every recipient's record and what
 * the sender sees of each delivery. The same function builds it from stored states, so a view kept up to date
 * command by command can be checked against (or replaced by) the one folded from the log.
 */
export interface DocumentView {
  readonly documentId: string;
  /** Absent when only incoming records exist (e.g. a document that came from outside the system). */
  readonly document?: OutgoingDocument;
  readonly state?: OutgoingState;
  readonly number?: number;
  readonly symbol?: string;
  readonly signatures: readonly Signature[];
  /** Recipients' records, ordered by organisation id. */
  readonly incoming: readonly IncomingRecord[];
  /** One per recipient: the sent-to list in its order, then organisations reached by forwarding. */
  readonly deliveries: readonly Delivery[];
}

export interface FoldedDocument {
  readonly document?: OutgoingDocument;
  readonly incoming: readonly IncomingRecord[];
}

/** Folds a document's events (drafts or chained events, in log order) into its aggregates. */
export function foldEvents(events: readonly EventDraft[]): FoldedDocument {
  let document: OutgoingDocument | undefined;
  const incoming = new Map<string, IncomingRecord>();
  for (const event of events) {
    document = evolveOutgoing(document, event);
    const before = incoming.get(event.orgId);
    const after = evolveIncoming(before, event);
    if (after && after !== before) incoming.set(event.orgId, after);
  }
  return { document, incoming: [...incoming.values()] };
}

const byOrgId = (a: { orgId: string }, b: { orgId: string }) =>
  a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0;

/** Builds the view from the aggregates (as stored, or as folded from the log). */
export function documentView(
  documentId: string,
  document: OutgoingDocument | undefined,
  incoming: readonly IncomingRecord[],
): DocumentView {
  const records = [...incoming].sort(byOrgId);
  const recordOf = new Map(records.map((r) => [r.orgId, r]));
  const sentTo = document?.sentAt ? document.recipients : [];
  const deliveries: Delivery[] = sentTo.map((r) => {
    const record = recordOf.get(r.orgId);
    return record ? deliveryOf(record) : pendingDelivery(r);
  });
  const listed = new Set(sentTo.map((r) => r.orgId));
  const others = records
    .filter((r) => !listed.has(r.orgId))
    .sort((a, b) => (a.arrivedAt < b.arrivedAt ? -1 : a.arrivedAt > b.arrivedAt ? 1 : byOrgId(a, b)));
  deliveries.push(...others.map(deliveryOf));
  return {
    documentId,
    document,
    state: document?.state,
    number: document?.number,
    symbol: document?.symbol,
    signatures: document?.signatures ?? [],
    incoming: records,
    deliveries,
  };
}

/** Rebuilds a document's view from its log alone. */
export function projectDocument(documentId: string, events: readonly EventDraft[]): DocumentView {
  const foreign = events.find((e) => e.documentId !== documentId);
  if (foreign) throw new Error(`event of document ${foreign.documentId} in the log of ${documentId}`);
  const { document, incoming } = foldEvents(events);
  return documentView(documentId, document, incoming);
}
