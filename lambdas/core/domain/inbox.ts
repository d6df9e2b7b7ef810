import type { Assignee } from './events';
import { currentHandler, type IncomingRecord } from './incoming';
import type { OutgoingDocument, OutgoingState } from './outgoing';

/*
 * Where documents appear in people's inboxes: each organisation has folders, and each person (or internal
 * unit) a folder of what is assigned to them. Decided here, from the states alone; the store only writes the
 * keys it is given.
 */

export type Folder = 'drafts' | 'to-sign' | 'outgoing' | 'incoming' | 'assigned';

/** An inbox entry's place: the folder partition and the sort key (newest activity last). */
export interface InboxPlace {
  readonly partition: string;
  readonly sort: string;
}

export function outgoingFolder(state: OutgoingState): Folder {
  if (state === 'DRAFT' || state === 'UNDER_REVIEW') return 'drafts';
  if (state === 'SUBMITTED_TO_SIGNER') return 'to-sign';
  return 'outgoing';
}

const sortKey = (updatedAt: string, documentId: string) => `${updatedAt}#${documentId}`;

export const outgoingPlace = (doc: OutgoingDocument): InboxPlace => ({
  partition: `${doc.orgId}#${outgoingFolder(doc.state)}`,
  sort: sortKey(doc.updatedAt, doc.id),
});

export const incomingPlace = (record: IncomingRecord): InboxPlace => ({
  partition: `${record.orgId}#incoming`,
  sort: sortKey(record.updatedAt, record.documentId),
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
