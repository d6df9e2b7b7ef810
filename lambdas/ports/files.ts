/*
 * Files: drafts and signature images arrive by presigned upload (never through a Lambda payload); every
 * version docflow records is kept in the archive under its SHA-256. Implemented over S3 in
 * adapters/file-store.ts.
 */

/** A stored version whose bytes are no longer those its SHA-256 names: altered in storage. */
export class StoredFileAltered extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly found: string,
    versionId?: string,
  ) {
    super(
      `archive object ${key}${versionId ? ` (version ${versionId})` : ''} has SHA-256 ${found}, not ${expected}`,
    );
    this.name = 'StoredFileAltered';
  }
}

export interface UploadTarget {
  readonly url: string;
  /** A presigned POST: a multipart form of `fields` (in order) and then the file, last. */
  readonly method: 'POST';
  readonly fields: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresInSeconds: number;
}

export interface DocumentFiles {
  /** A presigned upload of at most `maxBytes` (a draft's limit by default), of a PDF unless said otherwise. */
  presignUpload(key: string, maxBytes?: number, contentType?: string): Promise<UploadTarget>;
  /** The uploaded file; refused when missing or too large. */
  readUpload(key: string, maxBytes?: number): Promise<Uint8Array>;
  /** Stores a version (a PDF, or a draft's Word source); returns its SHA-256 (hex), under which it is kept. */
  putRevision(documentId: string, bytes: Uint8Array, contentType?: string): Promise<string>;
  readRevision(documentId: string, sha256: string): Promise<Uint8Array>;
  /** A short-lived download URL: the document's PDF shown inline, or a file of the given type downloaded. */
  presignRevisionDownload(
    documentId: string,
    sha256: string,
    fileName: string,
    contentType?: string,
  ): Promise<string>;
}

export interface SignatureImageFiles {
  presignUpload(personId: string, uploadId: string): Promise<UploadTarget>;
  readUpload(personId: string, uploadId: string): Promise<Uint8Array>;
  put(personId: string, bytes: Uint8Array): Promise<string>;
  presignDownload(personId: string, sha256: string): Promise<string>;
}

/** What audits read: the archived versions a log names (which may be gone), and files brought to verify. */
export interface AuditFiles extends Pick<DocumentFiles, 'presignUpload' | 'readUpload'> {
  /** What the archive holds under a version's name, unchecked (the audit compares it with the log), or undefined. */
  findRevision(documentId: string, sha256: string): Promise<Uint8Array | undefined>;
  /** Removes an uploaded file once read (best effort: the intake bucket expires it anyway). */
  deleteUpload(key: string): Promise<void>;
}
