import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SIGNATURE_IMAGE_MAX_BYTES } from '../core/domain/signature-image';
import { DomainError } from '../core/errors';
import { MAX_UPLOAD_PDF_BYTES } from '../core/limits';
import { buckets, resourceName } from '../deployment/resources';
import { s3Client } from './aws-clients';

/*
 * Document files in S3. Drafts arrive in the intake bucket by presigned PUT (never through a Lambda
 * payload); every version docflow records (the draft as checked, each signed revision) is written to the
 * archive bucket under its SHA-256, so a stored version can never be overwritten by another.
 */

const UPLOAD_URL_SECONDS = 15 * 60;

export interface UploadTarget {
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresInSeconds: number;
}

export async function presignUpload(
  key: string,
  // Defaults: a draft's PDF. Signature images and files brought for verification pass their own.
  {
    contentType = 'application/pdf',
    maxBytes = MAX_UPLOAD_PDF_BYTES,
  }: { contentType?: string; maxBytes?: number } = {},
): Promise<UploadTarget> {
  const command = new PutObjectCommand({
    Bucket: resourceName(buckets.intake),
    Key: key,
    ContentType: contentType,
  });
  const url = await getSignedUrl(s3Client(), command, { expiresIn: UPLOAD_URL_SECONDS });
  return {
    url,
    method: 'PUT',
    headers: { 'content-type': contentType },
    maxBytes,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  };
}

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
  let size: number;
  try {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    size = head.ContentLength ?? 0;
  } catch (error) {
    if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') throw refuse.missing();
    throw error;
  }
  if (size > maxBytes) throw refuse.tooLarge(size);
  const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const revisionKey = (documentId: string, sha256: string) => `documents/${documentId}/${sha256}.pdf`;

/** Stores a version of a document; the key is its hash, so writing it twice is harmless. */
export async function putRevision(documentId: string, bytes: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await s3Client().send(
    new PutObjectCommand({
      Bucket: resourceName(buckets.archive),
      Key: revisionKey(documentId, sha256),
      // A view, not a copy: a signed 64 MiB document is already held a few times over.
      Body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ContentType: 'application/pdf',
      // Object Lock buckets require an integrity header on every PUT.
      ContentMD5: createHash('md5').update(bytes).digest('base64'),
      Metadata: { sha256 },
    }),
  );
  return sha256;
}

/** Reads a stored version and checks it is still the one recorded. */
export async function readRevision(documentId: string, sha256: string): Promise<Uint8Array> {
  const object = await s3Client().send(
    new GetObjectCommand({ Bucket: resourceName(buckets.archive), Key: revisionKey(documentId, sha256) }),
  );
  return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
}

export async function presignRevisionDownload(
  documentId: string,
  sha256: string,
  fileName: string,
): Promise<string> {
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: resourceName(buckets.archive),
      Key: revisionKey(documentId, sha256),
      ResponseContentType: 'application/pdf',
      ResponseContentDisposition: `inline; filename="${fileName}"`,
    }),
    { expiresIn: 300 },
  );
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
    missing: () => new DomainError('signature_image_upload_missing', 409),
    tooLarge: (size) =>
      new DomainError('signature_image_too_large', 413, { size, limit: SIGNATURE_IMAGE_MAX_BYTES }),
  });
}

/** Stores a checked image; the key is its hash, so writing it twice is harmless. */
export async function putSignatureImage(personId: string, bytes: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(bytes);
  await s3Client().send(
    new PutObjectCommand({
      Bucket: resourceName(buckets.archive),
      Key: signatureImageKey(personId, sha256),
      Body: Buffer.from(bytes),
      ContentType: 'image/png',
      // Object Lock buckets require an integrity header on every PUT.
      ContentMD5: createHash('md5').update(bytes).digest('base64'),
      Metadata: { sha256 },
    }),
  );
  return sha256;
}

/** Reads a stored image and refuses one whose bytes are no longer those recorded. */
export async function readSignatureImage(personId: string, sha256: string): Promise<Uint8Array> {
  const object = await s3Client().send(
    new GetObjectCommand({ Bucket: resourceName(buckets.archive), Key: signatureImageKey(personId, sha256) }),
  );
  const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  if (sha256Hex(bytes) !== sha256) throw new Error(`signature image ${sha256} of ${personId} has changed`);
  return bytes;
}

export function presignSignatureImageDownload(personId: string, sha256: string): Promise<string> {
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: resourceName(buckets.archive),
      Key: signatureImageKey(personId, sha256),
      ResponseContentType: 'image/png',
    }),
    { expiresIn: 300 },
  );
}
