import { parseStoredLog } from '../../core/audit/stored-log';
import type { Caller } from '../../core/domain/caller';
import { assertVisible, audienceOf, inShare } from '../../core/domain/visibility';
import { DomainError } from '../../core/errors';
import { auditRefusal } from '../../core/i18n/reports';
import { type ChainHead, verifyChain } from '../../core/log/chain';
import {
  consistencyProof,
  type Hash,
  inclusionProof,
  subtreeRoot,
  toHex,
} from '../../core/transparency/merkle';
import {
  NeedPage,
  PagedTree,
  pageLeafHashes,
  pageRoot,
  pagesCompleted,
} from '../../core/transparency/paged-tree';
import {
  type ConsistencyProof,
  type InclusionProof,
  type SignedTreeHead,
  signTreeHead,
} from '../../core/transparency/tree-head';
import type { StoredLog } from '../../ports/audit';
import { Conflict, type DocumentRepository } from '../../ports/documents';
import {
  type EventRef,
  eventKey,
  type LogEntry,
  type Sequenced,
  type TransparencyKey,
  type TransparencyLogRepository,
} from '../../ports/transparency';

/*
 * The global transparency log (RFC 9162 style) over every circulation event: appending events as leaves
 * (the stream sequencer, and the catch-up of a document before it is audited), the signed head of the log
 * as it is now (published on a schedule), and inclusion and consistency proofs. The tree is read from the
 * page hashes plus the leaves of at most three pages (core/transparency/paged-tree.ts), so a root or a proof
 * costs O(n / 1024 + 1024) reads for any tree size.
 */

export interface TransparencyPorts {
  readonly transparency: TransparencyLogRepository;
  readonly transparencyKey: TransparencyKey;
  /** The current time; tests pass their own clock. */
  readonly now: () => Date;
}

type LogPorts = Pick<TransparencyPorts, 'transparency'>;

const MAX_APPEND_ATTEMPTS = 50;

/** An event presented with another hash than its leaf records: the stored log changed after it was sequenced. */
export class SequencedWithAnotherHash extends Error {
  constructor(leaf: Sequenced, presented: string) {
    super(
      `event ${leaf.seq} of ${leaf.documentId} was sequenced at leaf ${leaf.leafIndex} with hash ${leaf.hash}, now presented with ${presented}`,
    );
    this.name = 'SequencedWithAnotherHash';
  }
}

/**
 * Appends these events (in the order given: commit order) as leaves of the global log, each at most once:
 * events already sequenced are skipped, so calling it again after a failure, or for events another
 * process appended first, is harmless. Concurrent appenders meet as a `Conflict` and retry (jittered).
 * Returns every given event's leaf.
 */
export async function appendLeaves(ports: LogPorts, events: readonly LogEntry[]): Promise<Sequenced[]> {
  const log = ports.transparency;
  const unique = [...new Map(events.map((e) => [eventKey(e), e])).values()];
  for (let attempt = 1; ; attempt++) {
    const known = await log.findLeaves(unique);
    for (const e of unique) {
      const leaf = known.get(eventKey(e));
      if (leaf && leaf.hash !== e.hash) throw new SequencedWithAnotherHash(leaf, e.hash);
    }
    const missing = unique.filter((e) => !known.has(eventKey(e)));
    if (missing.length === 0) return unique.map((e) => known.get(eventKey(e)) as Sequenced);
    try {
      for (let start = 0; start < missing.length; start += log.batchLimit) {
        await appendBatch(ports, missing.slice(start, start + log.batchLimit));
      }
    } catch (error) {
      if (!(error instanceof Conflict) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
    }
  }
}

async function appendBatch(ports: LogPorts, batch: readonly LogEntry[]): Promise<void> {
  const size = await ports.transparency.treeSize();
  await ports.transparency.appendLeaves(size, batch);
  // Pages this batch completed: cache their hash (a reader computes any that are missing).
  for (const page of pagesCompleted(size, size + batch.length)) {
    await cachePageHash(ports, page).catch(() => undefined);
  }
}

/**
 * Sequences the events of one document that are not in the global log yet (e.g. committed before the log
 * existed, or whose append failed after the commit). Only a stored chain that verifies is sequenced:
 * tampered history must not become "proven" history. A chain rewritten with its hashes recomputed verifies,
 * but its events no longer have the hashes their leaves record: nothing is sequenced then either, and the
 * audit names each changed event (before, the audit failed on it).
 */
export async function ensureSequenced(
  ports: LogPorts & { readonly log: StoredLog },
  documentId: string,
  anchor?: ChainHead,
): Promise<void> {
  const events = parseStoredLog(await ports.log.read(documentId));
  if (!verifyChain(events, anchor ? { anchor } : {}).ok) return;
  const entries = (events as LogEntry[]).map((e) => ({ documentId: e.documentId, seq: e.seq, hash: e.hash }));
  try {
    await appendLeaves(ports, entries);
  } catch (error) {
    if (!(error instanceof SequencedWithAnotherHash)) throw error;
  }
}

// --- Reading the tree ------------------------------------------------------------------------------------------

async function pageLeaves(ports: LogPorts, page: number): Promise<Hash[]> {
  return pageLeafHashes(await ports.transparency.pageEventHashes(page));
}

/** The hash of a complete page, computed from its leaves once and kept. */
async function cachePageHash(ports: LogPorts, page: number): Promise<Hash> {
  const hash = pageRoot(page, await pageLeaves(ports, page));
  await ports.transparency.savePageHash(page, hash);
  return hash;
}

/** Runs a computation over the stored tree of `size` leaves, loading pages as it asks for them. */
async function withStoredTree<T>(ports: LogPorts, size: number, work: (tree: PagedTree) => T): Promise<T> {
  const tree = new PagedTree();
  for (const [page, hash] of await ports.transparency.pageHashes()) tree.pageHashes.set(page, hash);
  for (const page of pagesCompleted(0, size)) {
    if (!tree.pageHashes.has(page)) tree.pageHashes.set(page, await cachePageHash(ports, page));
  }
  for (let round = 0; round < 8; round++) {
    try {
      return work(tree);
    } catch (error) {
      if (!(error instanceof NeedPage)) throw error;
      tree.pages.set(error.page, await pageLeaves(ports, error.page));
    }
  }
  throw new Error('the stored tree needed more pages than a proof can');
}

// --- Signed tree heads ---------------------------------------------------------------------------------------

/**
 * The signed head of the log as it is now: the stored one if the log has not grown since, else a new one
 * (one signature per new size). Scheduling this (e.g. hourly) publishes heads periodically.
 */
export async function currentTreeHead(ports: TransparencyPorts): Promise<SignedTreeHead> {
  const log = ports.transparency;
  const size = await log.treeSize();
  const existing = await log.readHead(size);
  if (existing) return existing;
  const root = await withStoredTree(ports, size, (tree) => subtreeRoot(tree, 0, size));
  const { signer, chain } = await ports.transparencyKey.credential();
  const head = await signTreeHead(
    { log: log.logId, treeSize: size, rootHash: toHex(root), timestamp: ports.now().toISOString() },
    signer,
    chain,
  );
  try {
    await log.putHead(head);
    return head;
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    return (await log.readHead(size)) ?? head;
  }
}

/** Inclusion proofs for events against one signed head (the current one unless given). */
export async function inclusionProofs(
  ports: TransparencyPorts,
  entries: readonly EventRef[],
  head?: SignedTreeHead,
): Promise<{ head: SignedTreeHead; proofs: (InclusionProof | undefined)[] }> {
  const leaves = await ports.transparency.findLeaves(entries);
  const treeHead = head ?? (await currentTreeHead(ports));
  const proofs = await withStoredTree(ports, treeHead.treeSize, (tree) =>
    entries.map((e): InclusionProof | undefined => {
      const leaf = leaves.get(eventKey(e));
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

/**
 * `GET /api/transparency/proof`: the inclusion proof of one of a document's events, for someone who may see
 * the document (the one visibility rule); its events are sequenced first if the stream has not yet.
 */
export async function eventProof(
  ports: TransparencyPorts & {
    readonly documents: Pick<DocumentRepository, 'read'>;
    readonly log: StoredLog;
  },
  caller: Caller,
  documentId: string,
  seq: number,
): Promise<InclusionProof> {
  const snapshot = await ports.documents.read(documentId);
  const access = assertVisible(caller, snapshot);
  const notFound = () =>
    new DomainError('not_found', 404, { what: auditRefusal('what_transparency_event', { seq }) });
  if (access !== 'auditor') {
    // Only an event of the caller's share (core/domain/visibility.ts): another organisation's events are
    // not there for them, like events that never were (their count and hashes are theirs).
    const audience = audienceOf(caller, access, snapshot);
    const event = parseStoredLog(await ports.log.read(documentId)).find(
      (e) => (e as { seq?: unknown } | null)?.seq === seq,
    ) as { orgId?: unknown; type?: unknown } | undefined;
    if (
      typeof event?.orgId !== 'string' ||
      typeof event.type !== 'string' ||
      !inShare(audience, { orgId: event.orgId, type: event.type })
    )
      throw notFound();
  }
  if (snapshot.head) await ensureSequenced(ports, documentId, snapshot.head);
  const { proofs } = await inclusionProofs(ports, [{ documentId, seq }]);
  const [proof] = proofs;
  if (!proof) throw notFound();
  return proof;
}

/** A consistency proof between two published heads (`to` defaults to the current head). */
export async function consistencyBetween(
  ports: TransparencyPorts,
  from: number,
  to?: number,
): Promise<ConsistencyProof> {
  const second = to === undefined ? await currentTreeHead(ports) : await ports.transparency.readHead(to);
  const first = await ports.transparency.readHead(from);
  if (!first || !second)
    throw new DomainError('not_found', 404, {
      what: auditRefusal('what_tree_head', { size: (first ? to : from) ?? '' }),
    });
  if (first.treeSize > second.treeSize)
    throw new DomainError('validation_failed', 400, {
      detail: auditRefusal('invalid_tree_sizes_reversed', { from: first.treeSize, to: second.treeSize }),
    });
  const path =
    first.treeSize === 0 || first.treeSize === second.treeSize
      ? []
      : await withStoredTree(ports, second.treeSize, (tree) =>
          consistencyProof(tree, first.treeSize, second.treeSize).map(toHex),
        );
  return { kind: 'consistency', from: first, to: second, path };
}
