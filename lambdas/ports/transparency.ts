import type { DigestSigner } from '../core/ports/signer';
import type { SignedTreeHead } from '../core/transparency/tree-head';

/*
 * The global transparency log (RFC 9162 style) as the audit use cases need it: leaves in pages of
 * LEAVES_PER_PAGE (core/transparency/paged-tree.ts), a cached hash per complete page, and the signed heads
 * published so far. Implemented over the views table in adapters/transparency-store.ts.
 */

/** An event of a document's circulation log, as the transparency log records it. */
export interface LogEntry {
  readonly documentId: string;
  readonly seq: number;
  /** The event's `hash` (hex). */
  readonly hash: string;
}

export interface Sequenced extends LogEntry {
  readonly leafIndex: number;
}

export type EventRef = Pick<LogEntry, 'documentId' | 'seq'>;

/** How leaves are found by event: `${documentId}#${seq}`. */
export const eventKey = (e: EventRef): string => `${e.documentId}#${e.seq}`;

export interface TransparencyLogRepository {
  /** The log's name in its signed heads (`docflow/<stage>`). */
  readonly logId: string;
  /** How many events one `appendLeaves` takes at most. */
  readonly batchLimit: number;
  /** The leaf of each of these events that has one, by `eventKey`. */
  findLeaves(events: readonly EventRef[]): Promise<Map<string, Sequenced>>;
  /** How many leaves the log has (consistent read). */
  treeSize(): Promise<number>;
  /**
   * Gives these events leaves `size`, `size + 1`, … and moves the size to `size + batch.length`, all at
   * once, on the conditions that the size is still `size` and that none of the events has a leaf yet:
   * otherwise nothing is written and it throws `Conflict` (ports/documents.ts).
   */
  appendLeaves(size: number, batch: readonly LogEntry[]): Promise<void>;
  /** The event hashes (hex) of one page's leaves, in leaf order (consistent read). */
  pageEventHashes(page: number): Promise<string[]>;
  /** The hashes of the complete pages computed so far, by page. */
  pageHashes(): Promise<Map<number, Uint8Array>>;
  savePageHash(page: number, hash: Uint8Array): Promise<void>;
  /** The signed head published for this size, if any (consistent read). */
  readHead(treeSize: number): Promise<SignedTreeHead | undefined>;
  /** Publishes a head; `Conflict` when one of that size is already published (the first one stays). */
  putHead(head: SignedTreeHead): Promise<void>;
}

/**
 * The transparency log's key (KMS, certified by the city root with the TSA profile), which signs tree
 * heads and evidence manifests.
 */
export interface TransparencyKey {
  credential(): Promise<{ readonly signer: DigestSigner; readonly chain: readonly Uint8Array[] }>;
}
