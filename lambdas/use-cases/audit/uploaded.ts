import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../../core/domain/caller';
import { sha256Hex } from '../../core/io/hash';
import { MAX_VERIFIED_PDF_BYTES } from '../../core/limits';
import { verifyPdf } from '../../core/pdf/verify';
import { TrustStore } from '../../core/pki/trust';
import type { AuditPorts } from './context';

/*
 * Verifying a PDF someone brings (an auditor with a file from outside, a clerk with an attachment).
 * The file goes to the intake bucket by presigned POST, never through the Lambda payload: API Gateway and
 * Lambda cap a synchronous request at 6 MB, and base64 in JSON inflates a file by a third, so even a 5 MB
 * PDF would not fit; the presigned route takes anything docflow can sign (core/limits.ts), costs the same
 * two calls as any draft upload, and leaves the file where a lifecycle rule expires it. The key carries a
 * hash of the caller's id, so a verification can only be completed by whoever started it.
 */

type UploadPorts = Pick<AuditPorts, 'files' | 'trust'>;

const keyOf = (caller: Caller, id: string) =>
  `verify/${createHash('sha256').update(caller.actor.id).digest('hex').slice(0, 24)}/${id}.pdf`;

export async function startVerification(ports: UploadPorts, caller: Caller) {
  const id = randomUUID();
  return { id, upload: await ports.files.presignUpload(keyOf(caller, id), MAX_VERIFIED_PDF_BYTES) };
}

export async function verifyUploaded(ports: UploadPorts, caller: Caller, id: string) {
  const key = keyOf(caller, id);
  const bytes = await ports.files.readUpload(key, MAX_VERIFIED_PDF_BYTES);
  const report = await verifyPdf(bytes, {
    trust: TrustStore.fromPem(await ports.trust.trustAnchorsPem()),
    crls: [await ports.trust.currentCrl()],
    maxBytes: MAX_VERIFIED_PDF_BYTES,
  });
  await ports.files.deleteUpload(key).catch(() => undefined);
  return { id, sha256: sha256Hex(bytes), report };
}
