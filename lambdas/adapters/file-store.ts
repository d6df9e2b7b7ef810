import { createHash } from 'node:crypto';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { SIGNATURE_IMAGE_MAX_BYTES } from '../core/domain/signature-image';
import { DomainError } from '../core/errors';
import { signatureImageError } from '../core/i18n/signature-images';
import { sha256Hex } from '../core/io/hash';
import { MAX_UPLOAD_PDF_BYTES } from '../core/limits';
import { attachmentDisposition } from '../core/text/content-disposition';
import { buckets, resourceName } from '../deployment/resources';
import {
  type AuditFiles,
  type DocumentFiles,
  type SignatureImageFiles,
  StoredFileAltered,
  type UploadTarget,
} from '../ports/files';
import { presignedUrl, s3Client } from './aws-clients';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from './sdk-commands';
import { presignUpload } from './upload-target';

/*
 * Document files in S3. Drafts arrive in the intake bucket by presigned POST (adapters/upload-target.ts) (never through a Lambda
 * payload); every version docflow records (the draft as checked, each signed revision) is written to the
 * archive bucket under its SHA-256.
 *
 * The archive never replaces what it holds: every write is conditional (If-None-Match: *, which the
 * bucket's policy also demands), so a second write under a key finds the first and leaves it. Every read
 * is of the version whose SHA-256 is the one the log names: S3 hands back the SHA-256 it verified at upload
 * (HEAD with checksum mode), reads and presigned URLs are pinned to that VersionId, and what is read is
 * hashed again. Locally s3rver keeps no versions and no checksums (and ignores If-None-Match on PUT): the
 * same code then reads the one object there is and hashes it.
 */

export type { UploadTarget };

/** The uploaded file, refused (and left unread) when missing or larger than `maxBytes` (limits.ts). */
export async function readUpload(key: string, maxBytes = MAX_UPLOAD_PDF_BYTES): Promise<Uint8Array> {
  return readIntake(key, maxBytes, {
    missing: () => new DomainError('upload_missing', 409),
    tooLarge: (size) => new DomainError('file_too_large', 413, { size, limit: maxBytes }),
  });
}

async function readIntake(
  key: string,
  maxBytes: number,
  refuse: { missing: () => DomainError; tooLarge: (size: number) => DomainError },
): Promise<Uint8Array> {
  const bucket = resourceName(buckets.intake);
  // One GET: the size checked and the bytes read are of the same object version (a HEAD then a GET could
  // see two different uploads under the key). The body is left unread when the size is refused.
  let object: GetObjectCommandOutput;
  try {
    object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') throw refuse.missing();
    throw error;
  }
  const size = object.ContentLength ?? 0;
  if (size > maxBytes) {
    // In Node the body is a stream: dropped, not read.
    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw refuse.tooLarge(size);
  }
  const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  // What was read is what counts: a body longer than announced is refused all the same.
  if (bytes.byteLength > maxBytes) throw refuse.tooLarge(bytes.byteLength);
  return bytes;
}

export { sha256Hex };

/** An archived object whose bytes are not those its key (and the log) name: corruption or tampering. */
/** The port's error for an altered stored version (the name the adapter has used). */
export const ArchiveIntegrityError = StoredFileAltered;

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** How often a write that met a concurrent conditional write of the same key is tried again. */
const CONFLICT_RETRIES = 3;

/**
 * Writes `bytes` under `key` unless the key holds an object already, which must then be those very bytes.
 * The SHA-256 goes with the PUT: S3 refuses a body that does not match it (Object Lock buckets need such
 * an integrity header anyway) and gives it back on HEAD, so later reads can check a version without
 * downloading it.
 */
async function putArchived(
  key: string,
  bytes: Uint8Array,
  sha256: string,
  contentType: string,
): Promise<void> {
  const command = new PutObjectCommand({
    Bucket: resourceName(buckets.archive),
    Key: key,
    // A view, not a copy: a signed 64 MiB document is already held a few times over.
    Body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ContentType: contentType,
    ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
    IfNoneMatch: '*',
    Metadata: { sha256 },
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await s3Client().send(command);
      return;
    } catch (error) {
      const status = statusOf(error);
      // 412: the key holds an object. Writing the same bytes twice (a retried step) is harmless, as long
      // as what is there really is them.
      if (status === 412) {
        await verifiedVersion(key, sha256);
        return;
      }
      // 409: another conditional write of this key is in flight; once it lands the next try meets 412.
      if (status === 409 && attempt < CONFLICT_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
        continue;
      }
      throw error;
    }
  }
}

/**
 * The VersionId (if the store keeps versions) of the object under `key`, after checking its bytes are
 * `sha256`: from the checksum S3 verified at upload when it has one (a HEAD), else by reading and hashing
 * that very version (objects written before checksums, and s3rver). Throws ArchiveIntegrityError.
 */
async function verifiedVersion(key: string, sha256: string): Promise<string | undefined> {
  const bucket = resourceName(buckets.archive);
  const head = await s3Client().send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
  );
  const versionId = head.VersionId;
  // A composite checksum (multipart, `…-N`) is not the object's SHA-256; docflow never writes one.
  const checksum =
    head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-') ? head.ChecksumSHA256 : undefined;
  if (checksum) {
    const found = Buffer.from(checksum, 'base64').toString('hex');
    if (found !== sha256) throw new ArchiveIntegrityError(key, sha256, found, versionId);
    return versionId;
  }
  const object = await s3Client().send(
    new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
  );
  const hash = createHash('sha256');
  for await (const chunk of (object.Body ?? []) as AsyncIterable<Uint8Array>) hash.update(chunk);
  const found = hash.digest('hex');
  if (found !== sha256) throw new ArchiveIntegrityError(key, sha256, found, versionId);
  return versionId;
}

/** Reads the version of `key` whose SHA-256 is `sha256`, pinned by VersionId, and hashes what it read. */
async function readArchived(key: string, sha256: string): Promise<Uint8Array> {
  const bucket = resourceName(buckets.archive);
  const head = await s3Client().send(
    new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
  );
  const checksum =
    head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-') ? head.ChecksumSHA256 : undefined;
  if (checksum && Buffer.from(checksum, 'base64').toString('hex') !== sha256) {
    // Refused before downloading it.
    throw new ArchiveIntegrityError(
      key,
      sha256,
      Buffer.from(checksum, 'base64').toString('hex'),
      head.VersionId,
    );
  }
  const object = await s3Client().send(
    new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: head.VersionId }),
  );
  const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  const found = sha256Hex(bytes);
  if (found !== sha256)
    throw new ArchiveIntegrityError(key, sha256, found, object.VersionId ?? head.VersionId);
  return bytes;
}

/**
 * How long a download link works. It cannot be revoked once handed out: a recipient's link to a document
 * recalled meanwhile works until it expires, at most this long; the API stops handing out new ones at once.
 */
const DOWNLOAD_URL_SECONDS = 300;

/** A presigned GET of exactly the checked version of `key`. */
async function presignArchived(
  key: string,
  sha256: string,
  response: { contentType: string; disposition?: string },
): Promise<string> {
  const versionId = await verifiedVersion(key, sha256);
  return presignedUrl(
    new GetObjectCommand({
      Bucket: resourceName(buckets.archive),
      Key: key,
      VersionId: versionId,
      ResponseContentType: response.contentType,
      ResponseContentDisposition: response.disposition,
    }),
    { expiresIn: DOWNLOAD_URL_SECONDS },
  );
}

const revisionKey = (documentId: string, sha256: string) => `documents/${documentId}/${sha256}.pdf`;

/** Stores a version of a document under its hash; writing it twice is harmless, replacing it impossible. */
export async function putRevision(
  documentId: string,
  bytes: Uint8Array,
  contentType = 'application/pdf',
): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await putArchived(revisionKey(documentId, sha256), bytes, sha256, contentType);
  return sha256;
}

/** Puts a file made from an upload beside it in the intake bucket (a converted draft's PDF). */
export async function putUpload(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: resourceName(buckets.intake),
      Key: key,
      Body: bytes,
      ContentType: contentType,
    }),
  );
}

/** Reads a stored version and checks it is still the one recorded. */
export function readRevision(documentId: string, sha256: string): Promise<Uint8Array> {
  return readArchived(revisionKey(documentId, sha256), sha256);
}

export function presignRevisionDownload(
  documentId: string,
  sha256: string,
  fileName: string,
  contentType?: string,
): Promise<string> {
  return presignArchived(revisionKey(documentId, sha256), sha256, {
    contentType: contentType ?? 'application/pdf',
    // Attachments keep the names people gave them (Vietnamese letters included): RFC 6266.
    disposition: contentType ? attachmentDisposition(fileName) : `inline; filename="${fileName}"`,
  });
}

/*
 * Officials' signature images. Uploaded to intake like drafts (one key per upload, so a retried confirm
 * reads the very file it was given), then kept in the archive under their SHA-256: replacing an image
 * writes a new object and never overwrites the old one, which stays as evidence of what earlier
 * signatures drew (the signed PDFs carry their own copy anyway).
 */

const personPrefix = (personId: string) => `signature-images/${encodeURIComponent(personId)}`;
const signatureImageUploadKey = (personId: string, uploadId: string) =>
  `${personPrefix(personId)}/uploads/${uploadId}.png`;
const signatureImageKey = (personId: string, sha256: string) => `${personPrefix(personId)}/${sha256}.png`;

export function presignSignatureImageUpload(personId: string, uploadId: string): Promise<UploadTarget> {
  return presignUpload(signatureImageUploadKey(personId, uploadId), {
    contentType: 'image/png',
    maxBytes: SIGNATURE_IMAGE_MAX_BYTES,
  });
}

export function readSignatureImageUpload(personId: string, uploadId: string): Promise<Uint8Array> {
  return readIntake(signatureImageUploadKey(personId, uploadId), SIGNATURE_IMAGE_MAX_BYTES, {
    missing: () => signatureImageError('signature_image_upload_missing', 409),
    tooLarge: (size) =>
      signatureImageError('signature_image_too_large', 413, { size, limit: SIGNATURE_IMAGE_MAX_BYTES }),
  });
}

/** Stores a checked image under its hash; writing it twice is harmless, replacing it impossible. */
export async function putSignatureImage(personId: string, bytes: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await putArchived(signatureImageKey(personId, sha256), bytes, sha256, 'image/png');
  return sha256;
}

/** Reads a stored image and refuses one whose bytes are no longer those recorded. */
export function readSignatureImage(personId: string, sha256: string): Promise<Uint8Array> {
  return readArchived(signatureImageKey(personId, sha256), sha256);
}

export function presignSignatureImageDownload(personId: string, sha256: string): Promise<string> {
  return presignArchived(signatureImageKey(personId, sha256), sha256, { contentType: 'image/png' });
}

/** The document files port over S3 (intake and archive buckets). */
export const s3DocumentFiles: DocumentFiles = {
  presignUpload: (key, maxBytes, contentType) => presignUpload(key, { maxBytes, contentType }),
  readUpload,
  putRevision,
  readRevision,
  presignRevisionDownload,
};

/** Officials' signature images over S3. */
export const s3SignatureImageFiles: SignatureImageFiles = {
  presignUpload: presignSignatureImageUpload,
  readUpload: readSignatureImageUpload,
  put: putSignatureImage,
  presignDownload: presignSignatureImageDownload,
};

/** What audits read from the archive and the intake bucket. */
export const s3AuditFiles: AuditFiles = {
  presignUpload: (key, maxBytes) => presignUpload(key, { maxBytes }),
  readUpload,
  // Unchecked on purpose: the audit hashes what the archive holds and names an altered revision itself.
  async findRevision(documentId, sha256) {
    try {
      const object = await s3Client().send(
        new GetObjectCommand({ Bucket: resourceName(buckets.archive), Key: revisionKey(documentId, sha256) }),
      );
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if ((error as Error).name !== 'NoSuchKey' && (error as Error).name !== 'NotFound') throw error;
      return undefined;
    }
  },
  async deleteUpload(key) {
    await s3Client().send(new DeleteObjectCommand({ Bucket: resourceName(buckets.intake), Key: key }));
  },
};
