import type { ArchiveTimestamp } from '../core/domain/events';

/*
 * The archive's side of a document (PAdES B-LTA, core/pdf/archive.ts): the city TSA's document timestamp over
 * the archived file with its validation data, and the schedule of renewals, kept apart from the document's
 * views so that only the functions that archive carry them.
 */

export interface ArchivedPdf {
  readonly pdf: Uint8Array;
  readonly archiveTimestamp: ArchiveTimestamp;
}

export interface ArchiveTimestamping {
  /** The file with a DSS, a document timestamp over it, and that timestamp's own validation data. */
  timestamp(pdf: Uint8Array): Promise<ArchivedPdf>;
}

export interface DueRenewal {
  readonly documentId: string;
  readonly renewBy: string;
}

/**
 * When each archived document's timestamp is to be renewed. Written before the log records the timestamp,
 * removed after the next one is recorded: an entry may be stale (the sweep drops it), never missing.
 */
export interface ArchiveRenewals {
  /** Renewals due by `until`, earliest first. */
  due(until: string, limit: number): Promise<DueRenewal[]>;
  schedule(renewal: DueRenewal): Promise<void>;
  forget(renewal: DueRenewal): Promise<void>;
  /**
   * The archived file is still the organisation's issued document: the issued-files index
   * (ports/documents.ts IssuedFiles) names it too, so that a public check of the archived copy finds it.
   */
  recordFile(file: { sha256: string; documentId: string; orgId: string }): Promise<void>;
}
