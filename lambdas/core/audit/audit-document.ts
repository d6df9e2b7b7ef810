import type { WholeFileParser } from '../pdf/verify';
import type { TrustStore } from '../pki/trust';
import { checkAuthorizations } from './authorizations';
import {
  checkLogAgainstFile,
  checkLogChain,
  checkRevisions,
  checkTransparency,
  currentOfLog,
  logEvents,
  revisionsNamedBy,
  type TransparencyEntry,
} from './checks';
import {
  type DocumentAudit,
  DocumentAuditSchema,
  type Problem,
  type RevisionAudit,
  ROLE_VI,
  short,
} from './report';

/*
 * The audit of a document, in one place for the API (stored data) and for `docflow verify-evidence` (a
 * package, offline): the named checks of checks.ts, in order (the log chain, each version of the file the
 * log names with its signatures and history, the agreement between the log and the file, the global
 * transparency log), and a summary. Pure: the callers gather the bytes.
 */

export interface AuditInput {
  readonly documentId: string;
  /** The stored log items, parsed, in storage order. */
  readonly events: readonly unknown[];
  /** The chain head kept with the document (without it, a truncated log cannot be told). */
  readonly anchor?: { readonly seq: number; readonly hash: string };
  /** Each version's bytes by the SHA-256 the log names it with (undefined: not found). */
  readonly revisions: (sha256: string) => Uint8Array | undefined;
  /** What the document item (or the package manifest) says is the current version. */
  readonly currentSha256?: string;
  readonly trust: TrustStore;
  readonly crls: readonly Uint8Array[];
  /**
   * libpdf's whole-file parse for revisions the lazy reader cannot follow (the offline CLI passes it);
   * without it (the Lambdas) such a revision is reported unreadable (`pdf_damaged`).
   */
  readonly wholeFile?: WholeFileParser;
  /** By event seq; undefined: not checked against the transparency log. */
  readonly transparency?: {
    readonly entries: ReadonlyMap<number, TransparencyEntry>;
    /** The signed head the proofs lead to (offline checks). */
    readonly head?: unknown;
  };
  readonly now?: Date;
}

export async function auditDocument(input: AuditInput): Promise<DocumentAudit> {
  const now = input.now ?? new Date();
  const { chain, problems: chainProblems } = checkLogChain(input.events, input.anchor);
  const events = logEvents(input.events);
  const { revisions, problems: revisionProblems } = await checkRevisions(
    revisionsNamedBy(events),
    input.revisions,
    input,
  );
  const agreementProblems = checkLogAgainstFile(events, revisions, input.currentSha256);
  const { authorizations, problems: authorizationProblems } = checkAuthorizations(input.events, revisions);
  const transparency = input.transparency ? checkTransparency(events, input.transparency, input.trust) : null;

  const problems = [
    ...chainProblems,
    ...revisionProblems,
    ...agreementProblems,
    ...authorizationProblems,
    ...(transparency?.problems ?? []),
  ];
  const verdict = problems.length === 0 ? 'valid' : 'invalid';
  const audit: DocumentAudit = {
    documentId: input.documentId,
    checkedAt: now.toISOString(),
    verdict,
    currentSha256: input.currentSha256 ?? currentOfLog(events) ?? null,
    chain: chain.ok
      ? {
          ok: true,
          length: chain.length,
          head: chain.head ?? null,
          atSeq: null,
          problem: null,
          message: null,
        }
      : {
          ok: false,
          length: input.events.length,
          head: null,
          atSeq: chain.atSeq,
          problem: chain.problem,
          message: chain.message,
        },
    revisions,
    authorizations,
    transparency: transparency?.transparency ?? null,
    problems,
    summary: summarize(input.documentId, verdict, revisions, chain.ok, events.length, problems),
  };
  return DocumentAuditSchema.parse(audit);
}

function summarize(
  documentId: string,
  verdict: 'valid' | 'invalid',
  revisions: readonly RevisionAudit[],
  chainOk: boolean,
  eventCount: number,
  problems: readonly Problem[],
): { vi: string; en: string } {
  const vi = [
    verdict === 'valid'
      ? `Văn bản ${documentId}: HỢP LỆ. Nhật ký ${eventCount} sự kiện toàn vẹn; ${revisions.length} phiên bản tệp; mọi chữ ký hợp lệ.`
      : `Văn bản ${documentId}: KHÔNG HỢP LỆ (${problems.length} vấn đề).`,
    `Nhật ký luân chuyển: ${chainOk ? 'toàn vẹn' : 'BỊ THAY ĐỔI'}.`,
    ...revisions.map(
      (r) =>
        `Phiên bản ${r.index} (${ROLE_VI[r.role]}, ${short(r.sha256)}): ${r.file === 'ok' ? 'tệp nguyên vẹn' : r.file === 'missing' ? 'THIẾU TỆP' : r.file === 'altered' ? 'TỆP BỊ THAY ĐỔI' : 'không đọc được'}${r.verifiedWithin ? `; chữ ký được kiểm tra trong phiên bản ${r.verifiedWithin}` : ''}${r.report && r.report.signatures.length > 0 ? `\n  ${r.report.summary.vi.split('\n').join('\n  ')}` : ''}`,
    ),
    ...problems.map((p) => `- ${p.vi}`),
  ];
  const en = [
    verdict === 'valid'
      ? `Document ${documentId}: VALID. Log of ${eventCount} events intact; ${revisions.length} file revisions; every signature valid.`
      : `Document ${documentId}: NOT VALID (${problems.length} problems).`,
    `Circulation log: ${chainOk ? 'intact' : 'ALTERED'}.`,
    ...revisions.map(
      (r) =>
        `Revision ${r.index} (${r.role}, ${short(r.sha256)}): ${r.file === 'ok' ? 'file intact' : r.file === 'missing' ? 'FILE MISSING' : r.file === 'altered' ? 'FILE ALTERED' : 'unreadable'}${r.verifiedWithin ? `; its signatures verified within revision ${r.verifiedWithin}` : ''}${r.report && r.report.signatures.length > 0 ? `\n  ${r.report.summary.en.split('\n').join('\n  ')}` : ''}`,
    ),
    ...problems.map((p) => `- ${p.en}`),
  ];
  return { vi: vi.join('\n'), en: en.join('\n') };
}
