import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../adapters/aws-clients';
import { queryAll } from '../adapters/query-all';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { verifyChain } from '../core/log/chain';
import {
  consistencyProof,
  fromHex,
  type Hash,
  inclusionProof,
  leafHash,
  subtreeRoot,
  type TreeSource,
  toHex,
  treeRoot,
} from '../core/transparency/merkle';
import {
  type ConsistencyProof,
  type InclusionProof,
  type SignedTreeHead,
  SignedTreeHeadSchema,
  signTreeHead,
} from '../core/transparency/tree-head';
import { resourceName, tables } from '../deployment/resources';
import { parseStoredLog, readStoredLog } from './stored-log';
import { logSigner } from './transparency-signer';

/*
 * The global transparency log (RFC 9162 style) over every circulation event, stored in the views table
 * (it is derived from the circulation log like every other view; no new table to provision):
 *
 *   TLOG / SIZE                    the sequencer: how many leaves there are
 *   TLOG#LEAVES#<page> / <index>   leaf `index` (event hash, document, seq), 1,024 leaves per partition
 *   TLOG#EVENT#<documentId> / <seq> → leaf index: finds an event's leaf, and refuses a second leaf for it
 *   TLOG#PAGES / <page>            hash of each complete page (an aligned subtree of 1,024 leaves)
 *   TLOG#STH / <treeSize>          signed tree heads, as published
 *
 * An append is one transaction: the size moves from n to n + k on the condition that it is still n, and
 * the k leaves and event items are put on the condition that they do not exist. So leaf indexes are
 * assigned without gaps or duplicates, an event is sequenced at most once, and concurrent appenders retry
 * (jittered) instead of corrupting anything. Leaves spread over one partition per 1,024; the size item is
 * the one hot item (at most one transaction per batch of up to 45 events).
 *
 * Roots and proofs are computed from the page hashes plus the leaves of at most three pages: O(n / 1024 +
 * 1024) reads for any tree size, whatever the number of events.
 */

export const LEAVES_PER_PAGE = 1024;
const EVENTS_PER_TRANSACTION = 45;
const LOG_ID = () => `docflow/${process.env.DOCFLOW_STAGE ?? 'dev'}`;

const table = () => resourceName(tables.views);
const pad = (n: number, width = 12) => String(n).padStart(width, '0');
const SIZE_KEY = { pk: 'TLOG', sk: 'SIZE' };
const leafKey = (index: number) => ({
  pk: `TLOG#LEAVES#${Math.floor(index / LEAVES_PER_PAGE)}`,
  sk: pad(index),
});
const eventKey = (documentId: string, seq: number) => ({ pk: `TLOG#EVENT#${documentId}`, sk: pad(seq, 10) });

export interface LogEntry {
  readonly documentId: string;
  readonly seq: number;
  /** The event's `hash` (hex). */
  readonly hash: string;
}

export interface Sequenced extends LogEntry {
  readonly leafIndex: number;
}

/** The leaf of each of these events, where it has one. */
export async function findLeaves(
  entries: readonly Pick<LogEntry, 'documentId' | 'seq'>[],
): Promise<Map<string, Sequenced>> {
  const found = new Map<string, Sequenced>();
  for (let start = 0; start < entries.length; start += 100) {
    let keys: Record<string, unknown>[] = entries
      .slice(start, start + 100)
      .map((e) => eventKey(e.documentId, e.seq));
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
        found.set(`${entry.documentId}#${entry.seq}`, entry);
      }
      keys = result.UnprocessedKeys?.[table()]?.Keys ?? [];
    }
  }
  return found;
}

export async function treeSize(): Promise<number> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: SIZE_KEY, ConsistentRead: true }),
  );
  return Item ? Number(Item.size) : 0;
}

/**
 * Appends these events (in the order given: commit order) as leaves of the global log, each at most once:
 * events already sequenced are skipped, so calling it again after a failure, or for events another
 * process appended first, is harmless. Returns every given event's leaf.
 */
export async function appendLeaves(events: readonly LogEntry[]): Promise<Sequenced[]> {
  const unique = [...new Map(events.map((e) => [`${e.documentId}#${e.seq}`, e])).values()];
  for (let attempt = 1; ; attempt++) {
    const known = await findLeaves(unique);
    for (const e of unique) {
      const leaf = known.get(`${e.documentId}#${e.seq}`);
      if (leaf && leaf.hash !== e.hash)
        throw new Error(
          `event ${e.seq} of ${e.documentId} was sequenced at leaf ${leaf.leafIndex} with hash ${leaf.hash}, now presented with ${e.hash}`,
        );
    }
    const missing = unique.filter((e) => !known.has(`${e.documentId}#${e.seq}`));
    if (missing.length === 0) return unique.map((e) => known.get(`${e.documentId}#${e.seq}`) as Sequenced);
    try {
      for (let start = 0; start < missing.length; start += EVENTS_PER_TRANSACTION) {
        await appendBatch(missing.slice(start, start + EVENTS_PER_TRANSACTION));
      }
    } catch (error) {
      const conflict =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        );
      if (!conflict || attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
    }
  }
}

async function appendBatch(batch: readonly LogEntry[]): Promise<void> {
  const size = await treeSize();
  const next = size + batch.length;
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
                ...eventKey(e.documentId, e.seq),
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
  // Pages this batch completed: cache their hash (a reader computes any that are missing).
  for (let page = Math.floor(size / LEAVES_PER_PAGE); (page + 1) * LEAVES_PER_PAGE <= next; page++) {
    await pageHash(page).catch(() => undefined);
  }
}

/**
 * Sequences the events of one document that are not in the global log yet (e.g. committed before the log
 * existed, or whose append failed after the commit). Only a stored chain that verifies is sequenced:
 * tampered history must not become "proven" history.
 */
export async function ensureSequenced(
  documentId: string,
  anchor?: { seq: number; hash: string },
): Promise<void> {
  const events = parseStoredLog(await readStoredLog(documentId));
  if (!verifyChain(events, anchor ? { anchor } : {}).ok) return;
  const entries = (events as LogEntry[]).map((e) => ({ documentId: e.documentId, seq: e.seq, hash: e.hash }));
  await appendLeaves(entries);
}

// --- Reading the tree ------------------------------------------------------------------------------------------

async function pageLeaves(page: number): Promise<Hash[]> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `TLOG#LEAVES#${page}` },
    ConsistentRead: true,
  });
  return items
    .sort((a, b) => Number(a.leafIndex) - Number(b.leafIndex))
    .map((item) => leafHash(fromHex(String(item.eventHash))));
}

/** The hash of a complete page, computed from its leaves once and kept. */
async function pageHash(page: number): Promise<Hash> {
  const leaves = await pageLeaves(page);
  if (leaves.length !== LEAVES_PER_PAGE) throw new Error(`page ${page} is not complete`);
  const hash = treeRoot({ leafHash: (i) => leaves[i] as Hash }, LEAVES_PER_PAGE);
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: 'TLOG#PAGES', sk: pad(page), page, hash: toHex(hash) },
    }),
  );
  return hash;
}

class NeedPage extends Error {
  constructor(readonly page: number) {
    super(`page ${page} not loaded`);
  }
}

/** A TreeSource over what has been read from the table; asks for a page by throwing NeedPage. */
class StoredTree implements TreeSource {
  readonly pages = new Map<number, Hash[]>();
  readonly pageHashes = new Map<number, Hash>();

  leafHash(index: number): Hash {
    const page = Math.floor(index / LEAVES_PER_PAGE);
    const leaves = this.pages.get(page);
    if (!leaves) throw new NeedPage(page);
    const leaf = leaves[index % LEAVES_PER_PAGE];
    if (!leaf) throw new Error(`leaf ${index} is missing from the stored log`);
    return leaf;
  }

  completeSubtree(start: number, size: number): Hash | undefined {
    return size === LEAVES_PER_PAGE ? this.pageHashes.get(start / LEAVES_PER_PAGE) : undefined;
  }
}

/** Runs a computation over the stored tree of `size` leaves, loading pages as it asks for them. */
async function withStoredTree<T>(size: number, work: (tree: StoredTree) => T): Promise<T> {
  const tree = new StoredTree();
  const stored = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': 'TLOG#PAGES' },
  });
  for (const item of stored) tree.pageHashes.set(Number(item.page), fromHex(String(item.hash)));
  const fullPages = Math.floor(size / LEAVES_PER_PAGE);
  for (let page = 0; page < fullPages; page++) {
    if (!tree.pageHashes.has(page)) tree.pageHashes.set(page, await pageHash(page));
  }
  for (let round = 0; round < 8; round++) {
    try {
      return work(tree);
    } catch (error) {
      if (!(error instanceof NeedPage)) throw error;
      tree.pages.set(error.page, await pageLeaves(error.page));
    }
  }
  throw new Error('the stored tree needed more pages than a proof can');
}

export async function rootAt(size: number): Promise<Hash> {
  return withStoredTree(size, (tree) => subtreeRoot(tree, 0, size));
}

// --- Signed tree heads ---------------------------------------------------------------------------------------

async function storedHead(size: number): Promise<SignedTreeHead | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: { pk: 'TLOG#STH', sk: pad(size) }, ConsistentRead: true }),
  );
  return Item ? SignedTreeHeadSchema.parse(JSON.parse(String(Item.head))) : undefined;
}

/**
 * The signed head of the log as it is now: the stored one if the log has not grown since, else a new one
 * (one KMS signature per new size). Scheduling this (e.g. hourly) publishes heads periodically.
 */
export async function currentTreeHead(): Promise<SignedTreeHead> {
  const size = await treeSize();
  const existing = await storedHead(size);
  if (existing) return existing;
  const root = await rootAt(size);
  const { signer, chain } = await logSigner();
  const head = await signTreeHead(
    { log: LOG_ID(), treeSize: size, rootHash: toHex(root), timestamp: new Date().toISOString() },
    signer,
    chain,
  );
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: 'TLOG#STH', sk: pad(size), treeSize: size, head: JSON.stringify(head) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return head;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return (await storedHead(size)) ?? head;
  }
}

/** Inclusion proofs for events against one signed head (the current one unless given). */
export async function inclusionProofs(
  entries: readonly Pick<LogEntry, 'documentId' | 'seq'>[],
  head?: SignedTreeHead,
): Promise<{ head: SignedTreeHead; proofs: (InclusionProof | undefined)[] }> {
  const leaves = await findLeaves(entries);
  const treeHead = head ?? (await currentTreeHead());
  const proofs = await withStoredTree(treeHead.treeSize, (tree) =>
    entries.map((e): InclusionProof | undefined => {
      const leaf = leaves.get(`${e.documentId}#${e.seq}`);
      if (!leaf || leaf.leafIndex >= treeHead.treeSize) return undefined;
      return {
        kind: 'inclusion',
        documentId: leaf.documentId,
        seq: leaf.seq,
        eventHash: leaf.hash,
        leafIndex: leaf.leafIndex,
        treeSize: treeHead.treeSize,
        path: inclusionProof(tree, leaf.leafIndex, treeHead.treeSize).map(toHex),
        treeHead,
      };
    }),
  );
  return { head: treeHead, proofs };
}

export async function inclusionProofFor(documentId: string, seq: number): Promise<InclusionProof> {
  const { proofs } = await inclusionProofs([{ documentId, seq }]);
  const [proof] = proofs;
  if (!proof)
    throw new DomainError('not_found', 404, { what: messageText('what_transparency_event', { seq }) });
  return proof;
}

/** A consistency proof between two published heads (`to` defaults to the current head). */
export async function consistencyBetween(from: number, to?: number): Promise<ConsistencyProof> {
  const second = to === undefined ? await currentTreeHead() : await storedHead(to);
  const first = await storedHead(from);
  if (!first || !second)
    throw new DomainError('not_found', 404, {
      what: messageText('what_tree_head', { size: (first ? to : from) ?? '' }),
    });
  if (first.treeSize > second.treeSize)
    throw new DomainError('validation_failed', 400, {
      detail: messageText('invalid_tree_sizes_reversed', { from: first.treeSize, to: second.treeSize }),
    });
  const path =
    first.treeSize === 0 || first.treeSize === second.treeSize
      ? []
      : await withStoredTree(second.treeSize, (tree) =>
          consistencyProof(tree, first.treeSize, second.treeSize).map(toHex),
        );
  return { kind: 'consistency', from: first, to: second, path };
}

/** Sizes of the published heads, newest first (for auditors who want to pick two). */
export async function publishedHeadSizes(limit = 50): Promise<number[]> {
  const { Items } = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'TLOG#STH' },
      ScanIndexForward: false,
      Limit: limit,
      ProjectionExpression: 'treeSize',
    }),
  );
  return (Items ?? []).map((i) => Number(i.treeSize));
}
