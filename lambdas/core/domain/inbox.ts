import { URGENCIES, type Urgency } from './document-types';
import type { Assignee } from './events';
import { currentHandler, type IncomingRecord } from './incoming';
import type { OutgoingDocument, OutgoingState } from './outgoing';
import type { IncomingState } from './states';

/*
 * Where documents appear in people's inboxes: each organisation has folders, and each person (or internal
 * unit) a folder of what is assigned to them. Decided here, from the states alone; the store only writes the
 * keys it is given.
 */

export type Folder = 'drafts' | 'to-sign' | 'outgoing' | 'incoming' | 'assigned';

/** An inbox entry's place: the folder partition and the sort key (most urgent, then newest activity, last). */
export interface InboxPlace {
  readonly partition: string;
  readonly sort: string;
}

export function outgoingFolder(state: OutgoingState): Folder {
  if (state === 'DRAFT' || state === 'UNDER_REVIEW') return 'drafts';
  if (state === 'SUBMITTED_TO_SIGNER') return 'to-sign';
  return 'outgoing';
}

/*
 * Urgency acts on the order: while a document still awaits someone's action, its urgency's rank (Hỏa tốc hẹn
 * giờ 4, Hỏa tốc 3, Thượng khẩn 2, Khẩn 1, Thường 0) leads its sort key, so that a folder read newest first
 * shows the most urgent first, then by latest activity. Once handled (sent, resolved, recalled…) a document
 * sorts by time alone: an old Hỏa tốc does not stay on top for ever.
 */
const AWAITING_OUTGOING: ReadonlySet<OutgoingState> = new Set([
  'DRAFT',
  'UNDER_REVIEW',
  'SUBMITTED_TO_SIGNER',
  'SIGNED',
  'ISSUED',
]);
const AWAITING_INCOMING: ReadonlySet<IncomingState> = new Set([
  'ARRIVED',
  'REGISTERED',
  'PRESENTED',
  'ASSIGNED',
  'IN_PROGRESS',
]);

/** The rank that leads a document's place in its folders: its urgency while it awaits action, else 0. */
export const urgencyRank = (urgency: Urgency, awaiting: boolean): number =>
  awaiting ? URGENCIES[urgency].exchangePriority : 0;

const sortKey = (rank: number, updatedAt: string, documentId: string) => `${rank}#${updatedAt}#${documentId}`;

export const outgoingPlace = (doc: OutgoingDocument): InboxPlace => ({
  partition: `${doc.orgId}#${outgoingFolder(doc.state)}`,
  sort: sortKey(urgencyRank(doc.urgency, AWAITING_OUTGOING.has(doc.state)), doc.updatedAt, doc.id),
});

/**
 * A joint document in each co-issuer's folders too (core/domain/joint.ts): its leaders find it to sign,
 * its clerks to seal, in the folder of the document's state, under their own organisation.
 */
export const coIssuerPlaces = (doc: OutgoingDocument): (InboxPlace & { readonly orgId: string })[] =>
  (doc.coIssuers ?? []).map((orgId) => ({
    ...outgoingPlace(doc),
    orgId,
    partition: `${orgId}#${outgoingFolder(doc.state)}`,
  }));

export const incomingPlace = (record: IncomingRecord): InboxPlace => ({
  partition: `${record.orgId}#incoming`,
  sort: sortKey(
    urgencyRank(record.urgency, AWAITING_INCOMING.has(record.state)),
    record.updatedAt,
    record.documentId,
  ),
});

/** The "assigned" folder of one assignee (a person or an internal unit) in an organisation. */
export const assignedPartition = (orgId: string, assigneeKey: string) => `${orgId}#assigned#${assigneeKey}`;

/** The partitions a person's "assigned" folder reads: their own, and their unit's when they belong to one. */
export function assignedPartitionsOf(person: {
  readonly id: string;
  readonly position: { readonly orgId: string; readonly unitCode?: string };
}): string[] {
  const { orgId, unitCode } = person.position;
  return [
    assignedPartition(orgId, `person:${person.id}`),
    ...(unitCode ? [assignedPartition(orgId, `unit:${unitCode}`)] : []),
  ];
}

/** Who an incoming record is assigned to, each one an "assigned" inbox: people and internal units. */
export function assigneeKeys(record: IncomingRecord): string[] {
  if (
    !record.assignment ||
    record.state === 'RESOLVED' ||
    record.state === 'RECALLED' ||
    record.state === 'FORWARDED'
  )
    return [];
  const keys = new Set<string>();
  const add = (a: Assignee) => keys.add(a.kind === 'person' ? `person:${a.personId}` : `unit:${a.unitCode}`);
  const handler = currentHandler(record);
  if (handler) add(handler);
  for (const a of record.assignment.supporting) add(a);
  for (const a of record.assignment.forInformation) add(a);
  return [...keys];
}
