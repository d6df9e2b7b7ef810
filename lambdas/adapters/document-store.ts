import { type InboxPlace, incomingPlace } from '../core/domain/inbox';
import type { IncomingRecord } from '../core/domain/incoming';
import type { NumberingSeries } from '../core/domain/numbering';
import type { OutgoingDocument } from '../core/domain/outgoing';
import type { RegisterKind } from '../core/domain/registers';
import { DomainError } from '../core/errors';
import { canonicalize } from '../core/log/canonical-json';
import type { ChainHead } from '../core/log/chain';
import type { AssignmentPlace, PreparedChange } from '../core/log/change';
import type { CirculationEvent } from '../core/log/event';
import { resourceName, tables } from '../deployment/resources';
import {
  Conflict,
  type DocumentRepository,
  type DocumentSnapshot,
  type InboxPage,
  type IssueReservation,
  type Leases,
  type PendingUpload,
} from '../ports/documents';
import { documentClient } from './aws-clients';
import { isTransactionCanceled } from './lazy-sdk';
import { queryAll } from './query-all';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from './sdk-commands';

/*
 * Documents in DynamoDB. The log table holds each document's hash-chained events; the views table holds
 * what the events add up to (the outgoing document, each recipient's record, inbox and register entries,
 * numbering series), written in the same transaction as the events, on the conditions that nothing changed
 * since it was read. Any failed condition is a Conflict: the caller reads again and decides again.
 */

const views = () => resourceName(tables.views);
const log = () => resourceName(tables.log);
const docPk = (id: string) => `DOC#${id}`;
/** A register row's place: by number; a co-issuer's row of a joint document also by the lead organisation. */
const registerSk = (entry: { number: number; leadOrgId?: string }) =>
  `${String(entry.number).padStart(8, '0')}${entry.leadOrgId ? `#${entry.leadOrgId}` : ''}`;

function outgoingItem(doc: OutgoingDocument, place: InboxPlace): Record<string, unknown> {
  return {
    pk: docPk(doc.id),
    sk: 'OUT',
    kind: 'outgoing',
    version: doc.version,
    doc,
    inboxPk: place.partition,
    inboxSk: place.sort,
  };
}

/** The views-table item of a recipient's record (exported for bulk loading in benchmarks). */
export function incomingItem(record: IncomingRecord, place = incomingPlace(record)): Record<string, unknown> {
  return {
    pk: docPk(record.documentId),
    sk: `IN#${record.orgId}`,
    kind: 'incoming',
    version: record.version,
    record,
    inboxPk: place.partition,
    inboxSk: place.sort,
  };
}

function assignmentItem(record: IncomingRecord, place: AssignmentPlace): Record<string, unknown> {
  return {
    pk: docPk(record.documentId),
    sk: `ASSIGN#${record.orgId}#${place.assigneeKey}`,
    kind: 'assignment',
    record,
    inboxPk: place.partition,
    inboxSk: place.sort,
  };
}

// --- Reading -------------------------------------------------------------------------------------------------

/** Everything stored about a document, read consistently (one partition). */
export async function readDocument(id: string): Promise<DocumentSnapshot> {
  const items = await queryAll({
    TableName: views(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': docPk(id) },
    ConsistentRead: true,
  });
  let head: ChainHead | undefined;
  let document: OutgoingDocument | undefined;
  let upload: PendingUpload | undefined;
  let reservation: IssueReservation | undefined;
  const incoming: IncomingRecord[] = [];
  for (const item of items) {
    if (item.sk === 'HEAD') head = { seq: Number(item.seq), hash: String(item.hash) };
    else if (item.sk === 'OUT') document = item.doc as OutgoingDocument;
    else if (item.sk === 'UPLOAD') upload = item.upload as PendingUpload;
    else if (item.sk === 'RESERVATION') reservation = item.reservation as IssueReservation;
    else if (String(item.sk).startsWith('IN#')) incoming.push(item.record as IncomingRecord);
  }
  return { head, document, upload, reservation, incoming };
}

/**
 * Takes the next number of a series for a document, atomically: the series moves on only if nobody took a
 * number since it was read, and only while the document is still the version read.
 */
export async function reserveNumber(args: {
  document: OutgoingDocument;
  series: { before: NumberingSeries | undefined; after: NumberingSeries };
  reservation: IssueReservation;
}): Promise<void> {
  const { before, after } = args.series;
  const sameSeries = before?.key === after.key;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: views(),
              Item: { pk: `SERIES#${after.key}`, sk: 'SERIES', series: after, lastNumber: after.lastNumber },
              ConditionExpression: sameSeries ? 'lastNumber = :n' : NEW_ITEM,
              ExpressionAttributeValues: sameSeries ? { ':n': before?.lastNumber } : undefined,
            },
          },
          {
            Put: {
              TableName: views(),
              Item: { pk: docPk(args.document.id), sk: 'RESERVATION', reservation: args.reservation },
              ConditionExpression: NEW_ITEM,
            },
          },
          {
            ConditionCheck: {
              TableName: views(),
              Key: { pk: docPk(args.document.id), sk: 'OUT' },
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': args.document.version },
            },
          },
        ],
      }),
    );
  } catch (error) {
    throw conflictOf(error);
  }
}

function conflictOf(error: unknown): unknown {
  if (isTransactionCanceled(error)) {
    const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict'))
      return new Conflict(reasons);
  }
  return error;
}

export async function readSeries(key: string): Promise<NumberingSeries | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: views(), Key: { pk: `SERIES#${key}`, sk: 'SERIES' }, ConsistentRead: true }),
  );
  return Item?.series as NumberingSeries | undefined;
}

/** The document's log, in chain order, exactly as stored. */
export async function readLog(id: string): Promise<CirculationEvent[]> {
  const items = await queryAll({
    TableName: log(),
    KeyConditionExpression: 'documentId = :id',
    ExpressionAttributeValues: { ':id': id },
    ConsistentRead: true,
  });
  return items.map((item) => JSON.parse(String(item.event)) as CirculationEvent);
}

// --- Writing -------------------------------------------------------------------------------------------------

export async function savePendingUpload(upload: PendingUpload): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: views(),
      Item: { pk: docPk(upload.documentId), sk: 'UPLOAD', kind: 'upload', upload },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const NEW_ITEM = 'attribute_not_exists(pk)';

function versioned(item: Record<string, unknown>, before: { version: number } | undefined): TransactItem {
  return {
    Put: {
      TableName: views(),
      Item: item,
      ConditionExpression: before ? 'version = :v' : NEW_ITEM,
      ExpressionAttributeValues: before ? { ':v': before.version } : undefined,
    },
  };
}

/** The items one change writes, in one transaction (at most 100: callers split large fan-outs). */
export function transactionItems(change: PreparedChange): TransactItem[] {
  const { events, newHead } = change;
  const items: TransactItem[] = [];
  if (events.length > 0 && newHead) {
    items.push({
      Put: {
        TableName: views(),
        Item: { pk: docPk(change.documentId), sk: 'HEAD', seq: newHead.seq, hash: newHead.hash },
        ConditionExpression: change.head ? 'seq = :seq' : NEW_ITEM,
        ExpressionAttributeValues: change.head ? { ':seq': change.head.seq } : undefined,
      },
    });
  }
  for (const event of events) {
    items.push({
      Put: {
        TableName: log(),
        // Stored as the canonical JSON the hash was computed over, so verification sees the same bytes.
        Item: {
          documentId: event.documentId,
          seq: event.seq,
          type: event.type,
          at: event.at,
          orgId: event.orgId,
          actorId: event.actor.userId,
          hash: event.hash,
          event: canonicalize(event),
        },
        ConditionExpression: 'attribute_not_exists(documentId)',
      },
    });
  }
  if (change.outgoing) {
    const { before, after, place, coIssuerPlaces, droppedCoIssuers } = change.outgoing;
    items.push(versioned(outgoingItem(after, place), before));
    // A joint document's copies in its co-issuers' folders: written with it, unconditionally (the OUT item
    // above is the condition), like a record's assignment entries.
    for (const co of coIssuerPlaces)
      items.push({ Put: { TableName: views(), Item: { ...outgoingItem(after, co), sk: `CO#${co.orgId}` } } });
    for (const orgId of droppedCoIssuers)
      items.push({ Delete: { TableName: views(), Key: { pk: docPk(after.id), sk: `CO#${orgId}` } } });
  }
  for (const { before, after, place, assignments, unassigned } of change.incoming) {
    items.push(versioned(incomingItem(after, place), before));
    for (const assignment of assignments) {
      items.push({ Put: { TableName: views(), Item: assignmentItem(after, assignment) } });
    }
    for (const key of unassigned) {
      items.push({
        Delete: {
          TableName: views(),
          Key: { pk: docPk(after.documentId), sk: `ASSIGN#${after.orgId}#${key}` },
        },
      });
    }
  }
  if (change.series) {
    const { before, after } = change.series;
    const sameSeries = before?.key === after.key;
    items.push({
      Put: {
        TableName: views(),
        Item: { pk: `SERIES#${after.key}`, sk: 'SERIES', series: after, lastNumber: after.lastNumber },
        ConditionExpression: sameSeries ? 'lastNumber = :n' : NEW_ITEM,
        ExpressionAttributeValues: sameSeries ? { ':n': before?.lastNumber } : undefined,
      },
    });
  }
  for (const entry of change.registerEntries ?? []) {
    items.push({
      Put: {
        TableName: views(),
        Item: {
          pk: `REG#${entry.register}#${entry.orgId}#${entry.year}`,
          sk: registerSk(entry),
          kind: 'register',
          documentId: entry.documentId,
          number: entry.number,
          row: entry.row,
        },
        ConditionExpression: NEW_ITEM,
      },
    });
    if (entry.sealedSha256) {
      // Unconditional: the register entry above is the condition; a hash names one sealed file only.
      items.push({
        Put: {
          TableName: views(),
          Item: {
            pk: `ISSUED#${entry.sealedSha256}`,
            sk: 'ISSUED',
            documentId: entry.documentId,
            orgId: entry.orgId,
          },
        },
      });
    }
  }
  for (const entry of change.registerUpdates ?? []) {
    items.push({
      Put: {
        TableName: views(),
        Item: {
          pk: `REG#${entry.register}#${entry.orgId}#${entry.year}`,
          sk: registerSk(entry),
          kind: 'register',
          documentId: entry.documentId,
          number: entry.number,
          row: entry.row,
        },
        // The same document's row, never a new one.
        ConditionExpression: 'documentId = :d',
        ExpressionAttributeValues: { ':d': entry.documentId },
      },
    });
  }
  if (change.consumeUpload) {
    items.push({ Delete: { TableName: views(), Key: { pk: docPk(change.documentId), sk: 'UPLOAD' } } });
  }
  if (change.consumeReservation) {
    items.push({
      Delete: {
        TableName: views(),
        Key: { pk: docPk(change.documentId), sk: 'RESERVATION' },
        ConditionExpression: 'attribute_exists(pk)',
      },
    });
  }
  return items;
}

/** Writes a prepared change atomically; a Conflict means someone else changed the document (or series) first. */
export async function commit(change: PreparedChange): Promise<void> {
  const items = transactionItems(change);
  if (items.length > 100) throw new Error(`a change of ${items.length} items exceeds one transaction`);
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    throw conflictOf(error);
  }
}

// --- Leases --------------------------------------------------------------------------------------------------

/**
 * A short exclusive lease, for work too costly to redo on a conflict (stamping and sealing a PDF with the
 * number just allocated). It expires on its own if its holder dies.
 */
export async function withLease<T>(
  name: string,
  work: () => Promise<T>,
  ttlMs = 30_000,
  waitMs = 60_000,
): Promise<T> {
  const token = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const key = { pk: `LEASE#${name}`, sk: 'LEASE' };
  const deadline = Date.now() + waitMs;
  for (let n = 0; ; n++) {
    const now = Date.now();
    try {
      await documentClient().send(
        new PutCommand({
          TableName: views(),
          Item: { ...key, token, expiresAt: now + ttlMs },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      break;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      if (Date.now() > deadline) throw new DomainError('busy', 503);
      await new Promise((r) => setTimeout(r, 5 + Math.random() * Math.min(100, 10 * (n + 1))));
    }
  }
  try {
    return await work();
  } finally {
    await documentClient()
      .send(
        new DeleteCommand({
          TableName: views(),
          Key: key,
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': token },
        }),
      )
      .catch(() => undefined);
  }
}

// --- Inboxes and registers -----------------------------------------------------------------------------------

/** The attributes of a key of the inbox index, which is what a cursor carries (the last key of a page). */
const CURSOR_ATTRIBUTES = ['inboxPk', 'inboxSk', 'pk', 'sk'] as const;
// DynamoDB's limits on a sort key's size (a partition key's is 2048): nothing longer was ever a key.
const MAX_KEY_BYTES = 1024;

/**
 * The key a cursor stands for, checked: a cursor is opaque to clients, so anything that is not the last key
 * of a page of this very partition (garbage, JSON of another shape, a key of another organisation's or
 * folder's partition) is refused, and no caller pages through an inbox that is not theirs.
 */
function cursorKey(partition: string, cursor: string): Record<string, string> {
  const invalid = new DomainError('invalid_cursor', 400);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid;
  const entries = Object.entries(decoded);
  if (entries.length !== CURSOR_ATTRIBUTES.length) throw invalid;
  const key: Record<string, string> = {};
  for (const name of CURSOR_ATTRIBUTES) {
    const value: unknown = (decoded as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '' || Buffer.byteLength(value) > MAX_KEY_BYTES) throw invalid;
    key[name] = value;
  }
  if (key.inboxPk !== partition) throw invalid;
  return key;
}

/** One page of an inbox, newest activity first: a query of one index partition, whatever the table's size. */
export async function listInbox(partition: string, limit: number, cursor?: string): Promise<InboxPage> {
  const page = await documentClient()
    .send(
      new QueryCommand({
        TableName: views(),
        IndexName: 'inbox',
        KeyConditionExpression: 'inboxPk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: cursor ? cursorKey(partition, cursor) : undefined,
      }),
    )
    .catch((error: unknown) => {
      // What DynamoDB itself finds wrong with a start key is the cursor's fault, not ours.
      if (cursor && (error as Error).name === 'ValidationException')
        throw new DomainError('invalid_cursor', 400);
      throw error;
    });
  return {
    items: (page.Items ?? []).map((item) =>
      item.kind === 'outgoing'
        ? { kind: 'outgoing' as const, doc: item.doc as OutgoingDocument }
        : { kind: 'incoming' as const, record: item.record as IncomingRecord },
    ),
    cursor: page.LastEvaluatedKey
      ? Buffer.from(JSON.stringify(page.LastEvaluatedKey), 'utf8').toString('base64url')
      : undefined,
  };
}

export async function countInbox(partition: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: views(),
        IndexName: 'inbox',
        KeyConditionExpression: 'inboxPk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Select: 'COUNT',
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

export async function readRegister(
  register: RegisterKind,
  orgId: string,
  year: number,
): Promise<Record<string, unknown>[]> {
  const items = await queryAll({
    TableName: views(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `REG#${register}#${orgId}#${year}` },
  });
  return items.map((item) => ({ number: item.number, documentId: item.documentId, ...(item.row as object) }));
}

/** Fetches several documents' outgoing items at once (for lists that need the sender's view). */
export async function readOutgoing(ids: readonly string[]): Promise<Map<string, OutgoingDocument>> {
  const found = new Map<string, OutgoingDocument>();
  for (let start = 0; start < ids.length; start += 100) {
    const keys = ids.slice(start, start + 100).map((id) => ({ pk: docPk(id), sk: 'OUT' }));
    const result = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [views()]: { Keys: keys } } }),
    );
    for (const item of result.Responses?.[views()] ?? []) {
      const doc = item.doc as OutgoingDocument;
      found.set(doc.id, doc);
    }
  }
  return found;
}

/** The documents port over DynamoDB. */
export const dynamoDocumentRepository: DocumentRepository = {
  read: readDocument,
  readLog,
  commit,
  savePendingUpload,
  readSeries,
  reserveNumber,
  listInbox,
  countInbox,
  readRegister,
};

/** Leases as conditional items of the views table. */
export const dynamoLeases: Leases = {
  withLease: (name, work, options) => withLease(name, work, options?.ttlMs, options?.waitMs),
};
