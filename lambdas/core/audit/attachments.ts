import { verifyDetachedCades } from '../cms/cades';
import { DomainError } from '../errors';
import { sha256Hex } from '../io/hash';
import { verifyPdf } from '../pdf/verify';
import type { AttachmentAudit } from './attachment-audit';
import { type LogEvent, logEvents, problem, type SignatureContext } from './checks';
import { type Problem, short } from './report';

/*
 * The attachments in files of their own (D30 Appendix I) an issue sealed: each sealed file is the one the
 * log names, and its seal verifies (a PDF's PAdES seal; any other file's detached CAdES .p7s over it).
 * Read from the log alone: the drafter's `attachment-added` events give each one's title and format, the
 * `issued` event the sealed files' SHA-256.
 */

interface SealedFiles {
  readonly id: string;
  readonly title: string;
  readonly fileName: string;
  readonly format: 'pdf' | 'file';
  readonly sha256: string;
  readonly signatureSha256?: string;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The sealed attachments the log names: the last issue's, with what their drafter recorded of them. */
export function sealedAttachmentsOf(events: readonly LogEvent[]): SealedFiles[] {
  const drafted = new Map<string, Record<string, unknown>>();
  let sealed: unknown[] = [];
  for (const event of events) {
    const payload = record((event as LogEvent & { payload?: unknown }).payload);
    if (event.type === 'attachment-added') {
      const attachment = record(payload.attachment);
      const id = str(attachment.id);
      if (id) drafted.set(id, attachment);
    } else if (event.type === 'attachment-removed') {
      const id = str(payload.attachmentId);
      if (id) drafted.delete(id);
    } else if (event.type === 'issued' && Array.isArray(payload.attachments)) sealed = payload.attachments;
  }
  return sealed.flatMap((raw) => {
    const s = record(raw);
    const id = str(s.id);
    const sha256 = str(s.sealedSha256);
    if (!id || !sha256) return [];
    // The issue names what it sealed; older records only in the drafter's events.
    const d = { ...drafted.get(id), ...s };
    const signatureSha256 = str(s.signatureSha256);
    return [
      {
        id,
        title: str(d.title) ?? id,
        fileName: str(d.fileName) ?? id,
        format: d.format === 'file' || signatureSha256 ? 'file' : 'pdf',
        sha256,
        ...(signatureSha256 ? { signatureSha256 } : {}),
      },
    ];
  });
}

/** Every file the sealed attachments are made of, by SHA-256: what an audit must read besides the versions. */
export function attachmentFilesNamedBy(events: readonly unknown[]): string[] {
  return sealedAttachmentsOf(logEvents(events)).flatMap((a) =>
    a.signatureSha256 ? [a.sha256, a.signatureSha256] : [a.sha256],
  );
}

export async function checkAttachments(
  rawEvents: readonly unknown[],
  files: (sha256: string) => Uint8Array | undefined,
  context: SignatureContext,
): Promise<{ attachments: AttachmentAudit[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const attachments: AttachmentAudit[] = [];
  for (const a of sealedAttachmentsOf(logEvents(rawEvents))) {
    const base = {
      id: a.id,
      title: a.title,
      fileName: a.fileName,
      format: a.format,
      sha256: a.sha256,
      signatureSha256: a.signatureSha256 ?? null,
    };
    const params = { id: a.id, title: a.title, sha: short(a.sha256) };
    const bytes = files(a.sha256);
    const p7s = a.signatureSha256 ? files(a.signatureSha256) : undefined;
    if (!bytes || (a.signatureSha256 && !p7s)) {
      problems.push(problem('attachment-missing', 'audit_attachment_missing', params));
      attachments.push({
        ...base,
        file: 'missing',
        verdict: null,
        signer: null,
        signingTime: null,
        problems: [],
      });
      continue;
    }
    if (sha256Hex(bytes) !== a.sha256 || (p7s && sha256Hex(p7s) !== a.signatureSha256)) {
      problems.push(problem('attachment-altered', 'audit_attachment_altered', params));
      attachments.push({
        ...base,
        file: 'altered',
        verdict: null,
        signer: null,
        signingTime: null,
        problems: [],
      });
      continue;
    }
    const checked = await checkSeal(bytes, p7s, context);
    if (checked.verdict !== 'valid')
      problems.push(
        problem('attachment-seal-invalid', 'audit_attachment_invalid', {
          ...params,
          problems: checked.problems.join('; ') || '?',
        }),
      );
    attachments.push({ ...base, file: 'ok', ...checked });
  }
  return { attachments, problems };
}

async function checkSeal(
  bytes: Uint8Array,
  p7s: Uint8Array | undefined,
  context: SignatureContext,
): Promise<Pick<AttachmentAudit, 'verdict' | 'signer' | 'signingTime' | 'problems'>> {
  try {
    if (p7s) {
      const report = await verifyDetachedCades(p7s, bytes, { trust: context.trust, crls: context.crls });
      return {
        verdict: report.verdict,
        signer: report.signer?.commonName ?? null,
        signingTime: report.timestamp?.time ?? report.signingTime,
        problems: report.problems,
      };
    }
    const report = await verifyPdf(bytes, {
      trust: context.trust,
      crls: context.crls,
      wholeFile: context.wholeFile,
    });
    const [seal] = report.signatures;
    const problems = [...report.signatures.flatMap((s) => s.problems)];
    if (report.signatures.length !== 1) problems.push(`${report.signatures.length} signatures, not one seal`);
    return {
      verdict: report.verdict === 'valid' && report.signatures.length === 1 ? 'valid' : 'invalid',
      signer: seal?.signer?.commonName ?? null,
      signingTime: seal?.timestamp?.time ?? seal?.claimedTime ?? null,
      problems: [...new Set(problems)],
    };
  } catch (error) {
    const detail = error instanceof DomainError ? error.code : error instanceof Error ? error.message : '?';
    return { verdict: 'invalid', signer: null, signingTime: null, problems: [detail] };
  }
}
