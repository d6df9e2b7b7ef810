import { MAX_UPLOAD_PDF_BYTES } from '../core/limits';
import { buckets, resourceName } from '../deployment/resources';
import type { UploadTarget } from '../ports/files';
import { s3Client } from './aws-clients';
import { s3PresignedPostSdk } from './lazy-sdk';

/*
 * Uploads are presigned POSTs (issue #14): the signed policy names the exact key, the Content-Type and
 * the size range, so S3 itself refuses a file over the limit (EntityTooLarge) before anyone reads it. A
 * module of its own so that only the functions that hand out uploads carry the presigned-POST code.
 */

const UPLOAD_URL_SECONDS = 15 * 60;

export async function presignUpload(
  key: string,
  // Defaults: a draft's PDF. Signature images and files brought for verification pass their own.
  {
    contentType = 'application/pdf',
    maxBytes = MAX_UPLOAD_PDF_BYTES,
  }: { contentType?: string; maxBytes?: number } = {},
): Promise<UploadTarget> {
  const bucket = resourceName(buckets.intake);
  const { createPresignedPost } = await s3PresignedPostSdk();
  const { url, fields } = await createPresignedPost(await s3Client().client(), {
    Bucket: bucket,
    Key: key,
    Fields: { 'Content-Type': contentType },
    Conditions: [
      { bucket },
      ['eq', '$key', key],
      ['eq', '$Content-Type', contentType],
      ['content-length-range', 1, maxBytes],
    ],
    Expires: UPLOAD_URL_SECONDS,
  });
  return { url, method: 'POST', fields, maxBytes, expiresInSeconds: UPLOAD_URL_SECONDS };
}
