import { LANGUAGES } from '../i18n/catalogue';
import { type ReportCode, reports, reportText } from '../i18n/reports';
import type { WholeFileParser } from '../pdf/verify';
import type { TrustStore } from '../pki/trust';
import { type AuditAmendments, amendmentsOf } from './amendments';
import type { AttachmentAudit } from './attachment-audit';
import { checkAttachments } from './attachments';
import { checkAuthorizations } from './authorizations';
import {
  checkLogAgainstFile,
  checkLogChain,
  checkRevisions,
  checkShareChain,
  checkTransparency,
  currentOfLog,
  logEvents,
  problem,
  revisionsNamedBy,
  roleText,
  type TransparencyEntry,
} from './checks';
import { type DocumentAudit, DocumentAuditSchema, type Problem, type RevisionAudit, short } from './report';

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
  /**
   * The events are one organisation's share of the log (core/domain/visibility.ts), not all of it: each
   * is checked against its own hash and its neighbours in the share (log/chain.ts `verifyShare`), and the
   * transparency log must hold every one of them; there is no chain head to anchor to.
   */
  readonly share?: {
    readonly orgId: string;
    /**
     * Whether the rest of the log verifies, when whoever audits can tell (the server, which reads all of
     * it): a share's audit says so when it does not, without saying where (an auditor sees where).
     */
    readonly wholeChainOk?: boolean;
  };
}

export async function auditDocument(input: AuditInput): Promise<DocumentAudit> {
  const now = input.now ?? new Date();
  const { chain, problems: chainProblems } = input.share
    ? checkShareChain(input.events)
    : checkLogChain(input.events, input.anchor);
  const events = logEvents(input.events);
  const { revisions, problems: revisionProblems } = await checkRevisions(
    revisionsNamedBy(events),
    input.revisions,
    input,
  );
  // The last draft version, before the first signature of this log.
  const draft = revisions.filter((r) => r.role === 'draft').at(-1);
  const agreementProblems = checkLogAgainstFile(
    events,
    revisions,
    input.currentSha256,
    draft && input.revisions(draft.sha256)?.length,
  );
  const { authorizations, problems: authorizationProblems } = checkAuthorizations(input.events, revisions);
  const transparency = input.transparency ? checkTransparency(events, input.transparency, input.trust) : null;
  const { attachments, problems: attachmentProblems } = await checkAttachments(
    input.events,
    input.revisions,
    input,
  );

  const hidden =
    input.share?.wholeChainOk === false && chain.ok
      ? [problem('log-broken-elsewhere', 'audit_log_broken_elsewhere')]
      : [];
  const problems = [
    ...chainProblems,
    ...hidden,
    ...revisionProblems,
    ...agreementProblems,
    ...authorizationProblems,
    ...attachmentProblems,
    ...(transparency?.problems ?? []),
  ];
  const verdict = problems.length === 0 ? 'valid' : 'invalid';
  const amendments = amendmentsOf(input.events);
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
    ...(input.share ? { share: { orgId: input.share.orgId } } : {}),
    authorizations,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(amendments ? { amendments } : {}),
    transparency: transparency?.transparency ?? null,
    problems,
    summary: summarize(
      input.documentId,
      verdict,
      revisions,
      chain.ok,
      events.length,
      problems,
      input.share,
      attachments,
      amendments,
    ),
  };
  return DocumentAuditSchema.parse(audit);
}

const FILE_TEXT = {
  ok: 'audit_file_ok',
  missing: 'audit_file_missing',
  altered: 'audit_file_altered',
  unreadable: 'audit_file_unreadable',
} as const satisfies Record<RevisionAudit['file'], ReportCode>;

/** The summary in each language: the report is evidence read by either audience. */
function summarize(
  documentId: string,
  verdict: 'valid' | 'invalid',
  revisions: readonly RevisionAudit[],
  chainOk: boolean,
  eventCount: number,
  problems: readonly Problem[],
  share: AuditInput['share'],
  attachments: readonly AttachmentAudit[],
  amendments: AuditAmendments | undefined,
): { vi: string; en: string } {
  const lines = [
    verdict === 'valid'
      ? reportText('audit_summary_valid', { documentId, events: eventCount, revisions: revisions.length })
      : reportText('audit_summary_invalid', { documentId, problems: problems.length }),
    reportText('audit_summary_chain', {
      state: reportText(chainOk ? 'audit_chain_intact' : 'audit_chain_altered'),
    }),
    ...(share ? [reportText('audit_summary_share', { orgId: share.orgId, events: eventCount })] : []),
    ...(amendments?.amends
      ? [
          reportText(
            amendments.amends.kind === 'replaces' ? 'audit_summary_replaces' : 'audit_summary_corrects',
            {
              symbol: amendments.amends.symbol,
              documentId: amendments.amends.documentId,
            },
          ),
        ]
      : []),
    ...(amendments?.amendedBy ?? []).map((a) =>
      reportText(a.kind === 'replaces' ? 'audit_summary_replaced_by' : 'audit_summary_corrected_by', {
        symbol: a.symbol ?? a.documentId,
        documentId: a.documentId,
      }),
    ),
  ];
  const [vi, en] = LANGUAGES.map((language) => [
    ...lines.map((line) => reports.renderParam(line, language)),
    ...revisions.map((r) => {
      const params = {
        index: r.index,
        role: roleText(r.role),
        sha: short(r.sha256),
        file: reportText(FILE_TEXT[r.file]),
      };
      const line = r.verifiedWithin
        ? reports.render('audit_summary_revision_within', language, { ...params, within: r.verifiedWithin })
        : reports.render('audit_summary_revision', language, params);
      const report = r.report && r.report.signatures.length > 0 ? r.report.summary[language] : undefined;
      return report ? `${line}\n  ${report.split('\n').join('\n  ')}` : line;
    }),
    ...attachments.map((a) =>
      reports.render('audit_summary_attachment', language, {
        id: a.id,
        title: a.title,
        sha: short(a.sha256),
        result: reportText(a.verdict === 'valid' ? 'audit_attachment_valid' : 'audit_attachment_not_valid'),
      }),
    ),
    ...problems.map((p) => `- ${p[language]}`),
  ]) as [string[], string[]];
  return { vi: vi.join('\n'), en: en.join('\n') };
}
