import * as z from 'zod';

/*
 * Signature verification as the server reports it (lambdas/core/pdf/verify.ts: VerificationReport, inside
 * lambdas/core/audit/report.ts: DocumentAudit). The screens only show what a report says; with no report,
 * signatures are shown as recorded and marked "not verified", never as valid.
 */

export type Verdict = 'valid' | 'modified' | 'invalid';

export interface SignatureCheck {
  readonly index: number;
  /** The signature field's name: where the signature is on the page. */
  readonly fieldName?: string;
  readonly type: 'signature' | 'document-timestamp' | string;
  readonly signer: { readonly commonName: string; readonly issuer?: string; readonly serial?: string } | null;
  readonly kind: string | null;
  readonly capacity: string | null;
  readonly claimedTime: string | null;
  readonly timestamp: {
    readonly time: string;
    readonly valid: boolean;
    readonly authority: string | null;
  } | null;
  readonly validationTime?: string;
  readonly digestValid: boolean;
  readonly signatureValid: boolean;
  readonly chainTrusted: boolean;
  readonly certificateValidAtSigningTime: boolean;
  readonly revocation: string;
  readonly modifiedAfter?: boolean;
  readonly changesAfter?: readonly {
    readonly category: string;
    readonly detail: string;
    readonly allowed: boolean;
  }[];
  readonly verdict: Verdict;
  readonly problems: readonly string[];
}

export interface VerificationReport {
  readonly fileSize: number;
  readonly revisions: number;
  readonly signatures: readonly SignatureCheck[];
  readonly verdict: Verdict | 'unsigned';
  readonly summary: { readonly vi: string; readonly en: string };
}

/** What GET /api/documents/{id}/verification answers (lambdas/core/audit/report.ts: DocumentAudit). */
export interface DocumentAudit {
  readonly documentId: string;
  readonly checkedAt: string;
  readonly verdict: 'valid' | 'invalid';
  readonly currentSha256: string | null;
  readonly chain: {
    readonly ok: boolean;
    readonly length: number;
    readonly atSeq: number | null;
    readonly message: string | null;
  };
  readonly revisions: readonly {
    readonly index: number;
    readonly sha256: string;
    readonly role: 'draft' | 'signed' | 'issued' | 'archived' | 'other';
    readonly file: 'ok' | 'missing' | 'altered' | 'unreadable';
    readonly report: VerificationReport | null;
  }[];
  readonly transparency: { readonly events: number; readonly included: number } | null;
  readonly problems: readonly { readonly code: string; readonly vi: string; readonly en: string }[];
  readonly summary: { readonly vi: string; readonly en: string };
}

/** What POST /api/verify/{id} answers for an uploaded PDF. */
export interface UploadVerification {
  readonly id: string;
  readonly sha256: string;
  readonly report: VerificationReport;
}

/*
 * The audit routes' answers are not checked against their contracts yet: their schemas live beside the PDF
 * verifier and the audit (lambdas/core/pdf/verify.ts, lambdas/core/audit/report.ts), which need Node and so
 * cannot be bundled. Until they move apart from it, these answers are read as the types above say.
 */
const unchecked = <T>() => z.custom<T>((value) => typeof value === 'object' && value !== null);

/** GET /api/documents/{id}/verification */
export const DocumentAuditAnswer = unchecked<DocumentAudit>();
/** POST /api/verify/{id} */
export const UploadVerificationAnswer = unchecked<UploadVerification>();

/** The report of the document's current version (the one people read), or the last one with a report. */
export function currentReport(audit: DocumentAudit): VerificationReport | undefined {
  const current = audit.revisions.find((r) => r.sha256 === audit.currentSha256);
  return current?.report ?? audit.revisions.findLast((r) => r.report !== null)?.report ?? undefined;
}

/** The signatures proper (not document timestamps), in signing order. */
export function signatureChecks(report: VerificationReport): SignatureCheck[] {
  return report.signatures.filter((s) => s.type !== 'document-timestamp');
}
