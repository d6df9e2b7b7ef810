import type { Change } from '../log/change';
import { type Actor, eventActor } from './actor';
import type { EventDraft } from './events';
import { assigneeKeys } from './inbox';
import { evolveIncoming, type IncomingRecord } from './incoming';
import { evolveOutgoing, type OutgoingDocument } from './outgoing';

/*
 * A departure's handover (use-cases/people.ts): every document on which the person who left still has
 * something to do goes to their successor, by one event in its log (`handed-over` on a draft,
 * `duties-handed-over` on a recipient's record), so that the successor finds it in their folders at once and
 * the log says who took it over, when, and on whose decision. Documents already signed are left alone: their
 * signatures stay valid, made while the certificate was not revoked.
 */

/** Pending on a draft: drafting it until it is signed, or signing it as the designated signer. */
export function outgoingPending(doc: OutgoingDocument, personId: string): boolean {
  const open = doc.state === 'DRAFT' || doc.state === 'UNDER_REVIEW' || doc.state === 'SUBMITTED_TO_SIGNER';
  return open && (doc.drafterId === personId || doc.designatedSignerId === personId);
}

/**
 * Pending on a recipient's record: registered and presented to the person for direction, or assigned to
 * them (handling, supporting, for information) and not yet resolved.
 */
export function incomingPending(record: IncomingRecord, personId: string): boolean {
  if (record.state === 'PRESENTED' && record.presentedTo === personId) return true;
  return assigneeKeys(record).includes(`person:${personId}`);
}

/** The documents' stored parts a handover reads. */
export interface HandoverSnapshot {
  readonly head?: Change['head'];
  readonly document?: OutgoingDocument;
  readonly incoming: readonly IncomingRecord[];
}

/**
 * The change handing the person's pending duties on one document (in their organisation) to the successor,
 * or undefined when nothing there is pending with them (a retried departure finds it done).
 */
export function handoverChange(
  documentId: string,
  snapshot: HandoverSnapshot,
  args: {
    readonly from: string;
    readonly to: string;
    readonly orgId: string;
    readonly by: Actor;
    readonly now: Date;
  },
): Change | undefined {
  const payload = { fromPersonId: args.from, toPersonId: args.to };
  const base = { documentId, at: args.now.toISOString(), actor: eventActor(args.by) };
  const events: EventDraft[] = [];
  let outgoing: Change['outgoing'];
  const doc = snapshot.document;
  if (doc && doc.orgId === args.orgId && outgoingPending(doc, args.from)) {
    const event: EventDraft = {
      ...base,
      orgId: doc.orgId,
      documentSha256: doc.documentSha256,
      type: 'handed-over',
      payload,
    };
    const after = evolveOutgoing(doc, event);
    if (after) {
      events.push(event);
      outgoing = { before: doc, after };
    }
  }
  const incoming: { before: IncomingRecord; after: IncomingRecord }[] = [];
  for (const record of snapshot.incoming) {
    if (record.orgId !== args.orgId || !incomingPending(record, args.from)) continue;
    const event: EventDraft = {
      ...base,
      orgId: record.orgId,
      documentSha256: record.documentSha256,
      type: 'duties-handed-over',
      payload,
    };
    const after = evolveIncoming(record, event);
    if (!after) continue;
    events.push(event);
    incoming.push({ before: record, after });
  }
  if (events.length === 0) return undefined;
  return {
    documentId,
    head: snapshot.head,
    events,
    ...(outgoing ? { outgoing } : {}),
    ...(incoming.length > 0 ? { incoming } : {}),
  };
}
