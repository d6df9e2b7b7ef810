import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Assignee, EventDraft } from '../core/domain/events';
import type { IncomingRecord } from '../core/domain/incoming';
import { currentHandler } from '../core/domain/incoming';
import type { NumberingSeries } from '../core/domain/numbering';
import { vietnamDate } from '../core/domain/numbering';
import type { OutgoingDocument, OutgoingState } from '../core/domain/outgoing';
import { DomainError } from '../core/errors';
import { canonicalize } from '../core/log/canonical-json';
import { appendAfter, type ChainHead } from '../core/log/chain';
import { type CirculationEvent, CirculationEventSchema } from '../core/log/event';
import { resourceName, tables } from '../deployment/resources';
import { documentClient } from './aws-clients';
import { queryAll } from './query-all';

/*
 * Documents in DynamoDB. The log table holds each document's hash-chained events; the views table holds
 * what the events add up to (the outgoing document, each recipient's record, inbox and register entries,
 * numbering series), written in the same transaction as the events, on the conditions that nothing changed
 * since it was read. Any failed condition is a Conflict: the caller reads again and decides again.
 */

export class Conflict extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`concurrent modification: ${reasons.join(', ')}`);
    this.name = 'Conflict';
  }
}

const views = () => resourceName(tables.views);
const log = () => resourceName(tables.log);
const docPk = (id: string) => `DOC#${id}`;

export type Folder = 'drafts' | 'to-sign' | 'outgoing' | 'incoming' | 'assigned';

export function outgoingFolder(state: OutgoingState): Folder {
  if (state === 'DRAFT' || state === 'UNDER_REVIEW') return 'drafts';
  if (state === 'SUBMITTED_TO_SIGNER') return 'to-sign';
  return 'outgoing';
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

const inboxSk = (updatedAt: string, id: string) => `${updatedAt}#${id}`;

function outgoingItem(doc: OutgoingDocument): Record<string, unknown> {
  return {
    pk: docPk(doc.id),
    sk: 'OUT',
    kind: 'outgoing',
    version: doc.version,
    doc,
    inboxPk: `${doc.orgId}#${outgoingFolder(doc.state)}`,
    inboxSk: inboxSk(doc.updatedAt, doc.id),
  };
}

/** The views-table item of a recipient's record (exported for bulk loading in benchmarks). */
export function incomingItem(record: IncomingRecord): Record<string, unknown> {
  return {
    pk: docPk(record.documentId),
    sk: `IN#${record.orgId}`,
    kind: 'incoming',
    version: record.version,
    record,
    inboxPk: `${record.orgId}#incoming`,
    inboxSk: inboxSk(record.updatedAt, record.documentId),
  };
}

function assignmentItem(record: IncomingRecord, key: string): Record<string, unknown> {
  return {
    pk: docPk(record.documentId),
    sk: `ASSIGN#${record.orgId}#${key}`,
    kind: 'assignment',
    record,
    inboxPk: `${record.orgId}#assigned#${key}`,
    inboxSk: inboxSk(record.updatedAt, record.documentId),
  };
}

// --- Reading -------------------------------------------------------------------------------------------------

export interface PendingUpload {
  readonly documentId: string;
  readonly orgId: string;
  readonly createdBy: string;
  readonly uploadKey: string;
  /** The draft's metadata as given at creation, validated again when the content arrives. */
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
}

/**
 * A number given to a signed document by its organisation's series, before the slow part of issuing
 * (stamping and sealing the PDF). The number is the document's from then on: an interrupted issue resumes
 * with it, so the series has no gaps.
 */
export interface IssueReservation {
  readonly number: number;
  readonly reservedAt: string;
  readonly reservedBy: string;
  readonly seriesKey: string;
}

export interface DocumentSnapshot {
  readonly head?: ChainHead;
  readonly document?: OutgoingDocument;
  readonly upload?: PendingUpload;
  readonly reservation?: IssueReservation;
  readonly incoming: readonly IncomingRecord[];
}

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
  if (error instanceof TransactionCanceledException) {
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

export interface RegisterEntry {
  readonly register: 'outgoing' | 'incoming';
  readonly orgId: string;
  readonly year: number;
  readonly number: number;
  readonly documentId: string;
  readonly row: Record<string, unknown>;
}

export interface Change {
  readonly documentId: string;
  /** The chain head as read; the new events link to it. */
  readonly head: ChainHead | undefined;
  readonly events: readonly EventDraft[];
  readonly outgoing?: { readonly before: OutgoingDocument | undefined; readonly after: OutgoingDocument };
  readonly incoming?: readonly {
    readonly before: IncomingRecord | undefined;
    readonly after: IncomingRecord;
  }[];
  readonly series?: { readonly before: NumberingSeries | undefined; readonly after: NumberingSeries };
  readonly registerEntries?: readonly RegisterEntry[];
  /** Drops the pending-upload item once the draft exists. */
  readonly consumeUpload?: boolean;
  /** Drops the number reservation the change completes. */
  readonly consumeReservation?: boolean;
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
export function transactionItems(change: Change, events: readonly CirculationEvent[]): TransactItem[] {
  const last = events.at(-1);
  const items: TransactItem[] = [];
  if (last) {
    items.push({
      Put: {
        TableName: views(),
        Item: { pk: docPk(change.documentId), sk: 'HEAD', seq: last.seq, hash: last.hash },
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
  if (change.outgoing) items.push(versioned(outgoingItem(change.outgoing.after), change.outgoing.before));
  for (const { before, after } of change.incoming ?? []) {
    items.push(versioned(incomingItem(after), before));
    const old = new Set(before ? assigneeKeys(before) : []);
    const now = assigneeKeys(after);
    for (const key of now) items.push({ Put: { TableName: views(), Item: assignmentItem(after, key) } });
    for (const key of old) {
      if (!now.includes(key)) {
        items.push({
          Delete: {
            TableName: views(),
            Key: { pk: docPk(after.documentId), sk: `ASSIGN#${after.orgId}#${key}` },
          },
        });
      }
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
          sk: String(entry.number).padStart(8, '0'),
          kind: 'register',
          documentId: entry.documentId,
          number: entry.number,
          row: entry.row,
        },
        ConditionExpression: NEW_ITEM,
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

/** Writes a change atomically; a Conflict means someone else changed the document (or series) first. */
export async function commit(change: Change): Promise<CirculationEvent[]> {
  const events = appendAfter(change.head, change.events).map((e) => CirculationEventSchema.parse(e));
  const items = transactionItems(change, events);
  if (items.length > 100) throw new Error(`a change of ${items.length} items exceeds one transaction`);
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    throw conflictOf(error);
  }
  return events;
}

/**
 * Runs read-decide-commit until it commits without a conflict. Jittered backoff keeps many writers of one
 * document (a broadcast's recipients) or one series (parallel issues) from retrying in lockstep.
 */
export async function withRetries<T>(attempt: () => Promise<T>, maxAttempts = 60): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Conflict) || n >= maxAttempts) throw error;
      const ceiling = Math.min(250, 5 * 2 ** Math.min(n, 6));
      await new Promise((r) => setTimeout(r, Math.random() * ceiling));
    }
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

export interface InboxPage {
  readonly items: readonly (
    | { kind: 'outgoing'; doc: OutgoingDocument }
    | { kind: 'incoming'; record: IncomingRecord }
  )[];
  readonly cursor?: string;
}

/** One page of an inbox, newest activity first: a query of one index partition, whatever the table's size. */
export async function listInbox(partition: string, limit: number, cursor?: string): Promise<InboxPage> {
  const page = await documentClient().send(
    new QueryCommand({
      TableName: views(),
      IndexName: 'inbox',
      KeyConditionExpression: 'inboxPk = :p',
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
    }),
  );
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
  register: 'outgoing' | 'incoming',
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

export const yearOf = (at: string) => vietnamDate(new Date(at)).year;
