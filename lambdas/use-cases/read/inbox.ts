import type { Caller } from '../../core/domain/caller';
import { assignedPartitionsOf, type Folder } from '../../core/domain/inbox';
import { readsDocuments } from '../../core/domain/visibility';
import { DomainError } from '../../core/errors';
import { messageText } from '../../core/i18n/messages';
import { matches } from '../../core/text/search';
import type { DocumentRepository, InboxEntry } from '../../ports/documents';

/*
 * Inbox folders: one index partition per organisation and folder, and per assignee for "assigned" (a
 * person's own, and their unit's). Newest activity first; a search reads the folder in pages and keeps
 * what matches.
 */

/** A search reads the folder newest first, this many entries per read, at most this many per request. */
const SEARCH_PAGE = 100;
const SEARCH_MAX_SCANNED = 2_000;

function folderPartitions(caller: Caller, folder: Folder): string[] {
  if (folder !== 'assigned') return [`${caller.actor.position.orgId}#${folder}`];
  return assignedPartitionsOf(caller.actor);
}

export type InboxItem = ReturnType<typeof summarise>;

function summarise(item: InboxEntry, folder: Folder) {
  return item.kind === 'outgoing'
    ? {
        id: item.doc.id,
        folder,
        title: item.doc.subject,
        docType: item.doc.typeId,
        urgency: item.doc.urgency,
        state: item.doc.state,
        number: item.doc.number === undefined ? undefined : String(item.doc.number).padStart(2, '0'),
        symbol: item.doc.symbol,
        issuedOn: item.doc.issuedOn,
        deadline: item.doc.dueDate,
        updatedAt: item.doc.updatedAt,
        senderOrgId: undefined,
        arrivalNumber: undefined,
      }
    : {
        id: item.record.documentId,
        folder,
        title: item.record.subject,
        docType: item.record.typeId,
        urgency: item.record.urgency,
        state: item.record.state,
        number: undefined,
        symbol: item.record.symbol,
        issuedOn: item.record.issuedOn,
        senderOrgId: item.record.senderOrgId,
        arrivalNumber: item.record.arrivalNumber,
        deadline: item.record.handlerDeadline ?? item.record.assignment?.deadline ?? item.record.dueDate,
        updatedAt: item.record.updatedAt,
      };
}

/**
 * Entries of one folder partition that match `q`, newest first: pages are read until `limit` entries match
 * or SEARCH_MAX_SCANNED were looked at (a page may then hold a few more than `limit`); the cursor goes on
 * from the last page read.
 */
async function searchInbox(
  documents: Pick<DocumentRepository, 'listInbox'>,
  folder: Folder,
  partition: string,
  q: string,
  limit: number,
  cursor: string | undefined,
) {
  const found: InboxItem[] = [];
  let next = cursor;
  let scanned = 0;
  let searchedThrough: string | undefined;
  do {
    const page = await documents.listInbox(partition, SEARCH_PAGE, next);
    for (const entry of page.items) {
      const summary = summarise(entry, folder);
      searchedThrough = summary.updatedAt;
      if (matches(q, summary.symbol, summary.number, summary.title, summary.arrivalNumber))
        found.push(summary);
    }
    scanned += page.items.length;
    next = page.cursor;
  } while (next && found.length < limit && scanned < SEARCH_MAX_SCANNED);
  return { items: found, cursor: next, searchedThrough };
}

export interface InboxQuery {
  readonly folder: Folder;
  readonly limit: number;
  readonly cursor?: string;
  /** Words to find in the number, symbol, subject or arrival number, with or without accents. */
  readonly q?: string;
}

/** Inboxes and registers list documents: an administrator's position reads none (visibility.ts). */
export function assertReadsDocuments(caller: Caller): void {
  if (!readsDocuments(caller))
    throw new DomainError('forbidden', 403, {
      reason: messageText('reason_administrators_read_no_documents'),
    });
}

export async function inbox(
  ports: { documents: Pick<DocumentRepository, 'listInbox' | 'countInbox'> },
  caller: Caller,
  query: InboxQuery,
) {
  assertReadsDocuments(caller);
  const { folder, limit, cursor, q } = query;
  const { documents } = ports;
  const [partition, ...others] = folderPartitions(caller, folder);
  if (!partition) return { folder, items: [], total: 0 };
  const total = (await Promise.all([partition, ...others].map((p) => documents.countInbox(p)))).reduce(
    (a, b) => a + b,
    0,
  );
  if (q) {
    // Unit assignments (a second partition, rare and small) are searched on the first page only.
    const [page, ...extra] = await Promise.all([
      searchInbox(documents, folder, partition, q, limit, cursor),
      ...(cursor ? [] : others.map((p) => searchInbox(documents, folder, p, q, limit, undefined))),
    ]);
    const items = [...(page?.items ?? []), ...extra.flatMap((p) => p.items)];
    return { folder, items, cursor: page?.cursor, total, searchedThrough: page?.searchedThrough };
  }
  // Unit assignments are a second partition: listed after the person's own (rare, small).
  const page = await documents.listInbox(partition, limit, cursor);
  const extra =
    !cursor && others.length > 0 ? await Promise.all(others.map((p) => documents.listInbox(p, limit))) : [];
  const items = [...page.items, ...extra.flatMap((p) => p.items)].map((item) => summarise(item, folder));
  return { folder, items, cursor: page.cursor, total };
}
