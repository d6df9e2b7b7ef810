import { createHash } from 'node:crypto';
import type { EvidencePackage } from '../core/audit/evidence-package';
import { attachmentDisposition } from '../core/text/content-disposition';
import { buckets, resourceName } from '../deployment/resources';
import type { EvidenceStore } from '../ports/audit';
import { presignedUrl, s3Client } from './aws-clients';
import { GetObjectCommand, PutObjectCommand } from './sdk-commands';

/**
 * Puts a package where a short-lived URL can fetch it: the intake bucket's `evidence/` prefix, which expires
 * after a day (lib/constructs/document-buckets.ts). A package is derived from the archive and can be made
 * again at any time, so it has no place under the archive's Object Lock, which would keep every copy for
 * the retention period.
 */
export async function storeEvidence(id: string, pkg: EvidencePackage): Promise<string> {
  const Bucket = resourceName(buckets.intake);
  const Key = `evidence/${id}/${pkg.sha256}.zip`;
  await s3Client().send(
    new PutObjectCommand({
      Bucket,
      Key,
      Body: Buffer.from(pkg.zip),
      ContentType: 'application/zip',
      // S3 checks the body it stores against it.
      ContentMD5: createHash('md5').update(pkg.zip).digest('base64'),
      Metadata: { sha256: pkg.sha256 },
    }),
  );
  return presignedUrl(
    new GetObjectCommand({
      Bucket,
      Key,
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: attachmentDisposition(pkg.fileName),
    }),
    { expiresIn: 300 },
  );
}

export const s3EvidenceStore: EvidenceStore = { publish: storeEvidence };
