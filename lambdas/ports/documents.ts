import type { IncomingRecord } from '../core/domain/incoming';
import type { NumberingSeries } from '../core/domain/numbering';
import type { OutgoingDocument } from '../core/domain/outgoing';
import type { RegisterKind } from '../core/domain/registers';
import type { ChainHead } from '../core/log/chain';
import type { PreparedChange } from '../core/log/change';
import type { CirculationEvent } from '../core/log/event';

/*
 * Documents as the use cases see them: everything stored about one document read together, and changes
 * written atomically on the condition that nothing changed since it was read (a `Conflict` otherwise).
 * Implemented over DynamoDB in adapters/document-store.ts, in memory for use-case tests.
 */

/** A draft whose PDF is awaited: the metadata as given at creation, validated again when the file arrives. */
export interface PendingUpload {
  readonly documentId: string;
  readonly orgId: string;
  readonly createdBy: string;
  readonly uploadKey: string;
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

/** Everything stored about a document, read consistently. */
export interface DocumentSnapshot {
  readonly head?: ChainHead;
  readonly document?: OutgoingDocument;
  readonly upload?: PendingUpload;
  readonly reservation?: IssueReservation;
  readonly incoming: readonly IncomingRecord[];
}

export type InboxEntry =
  | { readonly kind: 'outgoing'; readonly doc: OutgoingDocument }
  | { readonly kind: 'incoming'; readonly record: IncomingRecord };

export interface InboxPage {
  readonly items: readonly InboxEntry[];
  /** Opaque; goes on from the last entry of this page. */
  readonly cursor?: string;
}

/** The store refused a write because what it was based on changed: read again and decide again. */
export class Conflict extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(`concurrent modification: ${reasons.join(', ')}`);
    this.name = 'Conflict';
  }
}

export interface DocumentRepository {
  read(id: string): Promise<DocumentSnapshot>;
  /** The document's log, in chain order, exactly as stored. */
  readLog(id: string): Promise<CirculationEvent[]>;
  /** Writes a prepared change atomically, or throws `Conflict`. */
  commit(change: PreparedChange): Promise<void>;
  savePendingUpload(upload: PendingUpload): Promise<void>;
  readSeries(key: string): Promise<NumberingSeries | undefined>;
  /** Takes the series' next number for the document, while the document is still the version read. */
  reserveNumber(args: {
    document: OutgoingDocument;
    series: { before: NumberingSeries | undefined; after: NumberingSeries };
    reservation: IssueReservation;
  }): Promise<void>;
  /** One page of an inbox partition, newest activity first. */
  listInbox(partition: string, limit: number, cursor?: string): Promise<InboxPage>;
  countInbox(partition: string): Promise<number>;
  readRegister(register: RegisterKind, orgId: string, year: number): Promise<Record<string, unknown>[]>;
}

/** An outgoing register entry found by its issued file's hash. */
export interface IssuedFile {
  readonly documentId: string;
  readonly orgId: string;
}

/**
 * The issued files by SHA-256 (written with their register entries): apart from DocumentRepository, so
 * that only the function that looks them up (audit) carries the read.
 */
export interface IssuedFiles {
  findIssued(sha256: string): Promise<IssuedFile | undefined>;
}

/**
 * A short exclusive lease, for work too costly to redo on a conflict (stamping and sealing a PDF with the
 * number just allocated). It expires on its own if its holder dies.
 */
export interface Leases {
  withLease<T>(
    name: string,
    work: () => Promise<T>,
    options?: { ttlMs?: number; waitMs?: number },
  ): Promise<T>;
}
