import { fromHex, toHex } from '../core/transparency/merkle';
import { pageOf } from '../core/transparency/paged-tree';
import { type SignedTreeHead, SignedTreeHeadSchema } from '../core/transparency/tree-head';
import { resourceName, tables } from '../deployment/resources';
import { Conflict } from '../ports/documents';
import {
  type EventRef,
  eventKey,
  type LogEntry,
  type Sequenced,
  type TransparencyLogRepository,
} from '../ports/transparency';
import { documentClient } from './aws-clients';
import { isTransactionCanceled } from './lazy-sdk';
import { queryAll } from './query-all';
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand } from './sdk-commands';

/*
 * The global transparency log in the views table (it is derived from the circulation log like every other
 * view; no new table to provision):
 *
 *   TLOG / SIZE                    the sequencer: how many leaves there are
 *   TLOG#LEAVES#<page> / <index>   leaf `index` (event hash, document, seq), 1,024 leaves per partition
 *   TLOG#EVENT#<documentId> / <seq> → leaf index: finds an event's leaf, and refuses a second leaf for it
 *   TLOG#PAGES / <page>            hash of each complete page (an aligned subtree of 1,024 leaves)
 *   TLOG#STH / <treeSize>          signed tree heads, as published
 *
 * An append is one transaction: the size moves from n to n + k on the condition that it is still n, and
 * the k leaves and event items are put on the condition that they do not exist. So leaf indexes are
 * assigned without gaps or duplicates and an event is sequenced at most once; a failed condition is a
 * Conflict, which the appender retries (use-cases/audit/transparency.ts). Leaves spread over one partition
 * per page; the size item is the one hot item (at most one transaction per batch of up to 45 events).
 */

/** A transaction takes 100 items: the size, and a leaf and an event item per event. */
const EVENTS_PER_TRANSACTION = 45;

const table = () => resourceName(tables.views);
const pad = (n: number, width = 12) => String(n).padStart(width, '0');
const SIZE_KEY = { pk: 'TLOG', sk: 'SIZE' };
const leafKey = (index: number) => ({ pk: `TLOG#LEAVES#${pageOf(index)}`, sk: pad(index) });
const eventItemKey = (documentId: string, seq: number) => ({
  pk: `TLOG#EVENT#${documentId}`,
  sk: pad(seq, 10),
});

async function findLeaves(entries: readonly EventRef[]): Promise<Map<string, Sequenced>> {
  const found = new Map<string, Sequenced>();
  for (let start = 0; start < entries.length; start += 100) {
    let keys: Record<string, unknown>[] = entries
      .slice(start, start + 100)
      .map((e) => eventItemKey(e.documentId, e.seq));
    while (keys.length > 0) {
      const result = await documentClient().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of result.Responses?.[table()] ?? []) {
        const entry: Sequenced = {
          documentId: String(item.documentId),
          seq: Number(item.seq),
          hash: String(item.eventHash),
          leafIndex: Number(item.leafIndex),
        };
        found.set(eventKey(entry), entry);
      }
      keys = result.UnprocessedKeys?.[table()]?.Keys ?? [];
    }
  }
  return found;
}

async function treeSize(): Promise<number> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: SIZE_KEY, ConsistentRead: true }),
  );
  return Item ? Number(Item.size) : 0;
}

async function appendLeaves(size: number, batch: readonly LogEntry[]): Promise<void> {
  const next = size + batch.length;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...SIZE_KEY, size: next },
              ConditionExpression: size === 0 ? 'attribute_not_exists(pk)' : 'size = :size',
              ExpressionAttributeValues: size === 0 ? undefined : { ':size': size },
            },
          },
          ...batch.flatMap((e, i) => [
            {
              Put: {
                TableName: table(),
                Item: {
                  ...leafKey(size + i),
                  leafIndex: size + i,
                  eventHash: e.hash,
                  documentId: e.documentId,
                  seq: e.seq,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table(),
                Item: {
                  ...eventItemKey(e.documentId, e.seq),
                  leafIndex: size + i,
                  eventHash: e.hash,
                  documentId: e.documentId,
                  seq: e.seq,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]),
        ],
      }),
    );
  } catch (error) {
    const reasons = isTransactionCanceled(error)
      ? (error.CancellationReasons ?? []).map((r) => r.Code ?? '')
      : [];
    if (reasons.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
      throw new Conflict(reasons);
    throw error;
  }
}

async function pageEventHashes(page: number): Promise<string[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `TLOG#LEAVES#${page}` },
    ConsistentRead: true,
  });
  return items
    .sort((a, b) => Number(a.leafIndex) - Number(b.leafIndex))
    .map((item) => String(item.eventHash));
}

async function pageHashes(): Promise<Map<number, Uint8Array>> {
  const stored = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'TLOG#PAGES' },
  });
  return new Map(stored.map((item) => [Number(item.page), fromHex(String(item.hash))]));
}

async function savePageHash(page: number, hash: Uint8Array): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: 'TLOG#PAGES', sk: pad(page), page, hash: toHex(hash) },
    }),
  );
}

async function readHead(size: number): Promise<SignedTreeHead | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: 'TLOG#STH', sk: pad(size) }, ConsistentRead: true }),
  );
  return Item ? SignedTreeHeadSchema.parse(JSON.parse(String(Item.head))) : undefined;
}

async function putHead(head: SignedTreeHead): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: 'TLOG#STH', sk: pad(head.treeSize), treeSize: head.treeSize, head: JSON.stringify(head) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    throw new Conflict([`a head of size ${head.treeSize} is already published`]);
  }
}

/** The transparency log over DynamoDB (the views table). */
export const dynamoTransparencyLog: TransparencyLogRepository = {
  get logId() {
    return `docflow/${process.env.DOCFLOW_STAGE ?? 'dev'}`;
  },
  batchLimit: EVENTS_PER_TRANSACTION,
  findLeaves,
  treeSize,
  appendLeaves,
  pageEventHashes,
  pageHashes,
  savePageHash,
  readHead,
  putHead,
};
