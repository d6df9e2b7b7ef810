import { createHash } from 'node:crypto';
import * as z from 'zod';
import { OUTGOING_EVENT_TYPES } from '../core/domain/events';
import { DomainError } from '../core/errors';
import { LANGUAGES } from '../core/i18n/catalogue';
import { problemRef } from '../core/i18n/problems';
import {
  type ReportCode,
  type ReportParam,
  type ReportParams,
  reportList,
  reports,
  reportText,
} from '../core/i18n/reports';
import { verifyChain } from '../core/log/chain';
import {
  type VerificationReport,
  VerificationReportSchema,
  verifyPdf,
  type WholeFileParser,
} from '../core/pdf/verify';
import type { TrustStore } from '../core/pki/trust';
import { fromHex, leafHash, verifyInclusion } from '../core/transparency/merkle';
import { type InclusionProof, SignedTreeHeadSchema, verifyTreeHead } from '../core/transparency/tree-head';

/*
 * The rules of a document audit, in one place for the API (stored data) and for `docflow verify-evidence`
 * (a package, offline): the log chain, each version of the file the log names, every signature, the
 * history of the file (each signed version extends the one before), the agreement between the log and the
 * PDF, and the global transparency log. Pure: the callers gather the bytes.
 */

export const ProblemSchema = z.object({
  code: z.string(),
  vi: z.string(),
  en: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const RevisionAuditSchema = z.object({
  index: z.int(),
  sha256: z.string(),
  /** What produced this version: the draft, a personal signature, the issue (number + seal). */
  role: z.enum(['draft', 'signed', 'issued', 'other']),
  /** The events that name this version. */
  seqs: z.array(z.int()),
  file: z.enum(['ok', 'missing', 'altered', 'unreadable']),
  actualSha256: z.string().nullable(),
  /** A signed version must begin with the bytes of the version before it (incremental update). */
  extendsPrevious: z.boolean().nullable(),
  /**
   * A version that is an exact prefix of the last one is not verified on its own: its signatures are the
   * last version's first ones, each verified there over exactly this version's bytes. Null otherwise.
   */
  verifiedWithin: z.int().nullable(),
  report: VerificationReportSchema.nullable(),
});
export type RevisionAudit = z.infer<typeof RevisionAuditSchema>;

export const DocumentAuditSchema = z.object({
  documentId: z.string(),
  checkedAt: z.string(),
  verdict: z.enum(['valid', 'invalid']),
  currentSha256: z.string().nullable(),
  chain: z.object({
    ok: z.boolean(),
    length: z.int(),
    head: z.object({ seq: z.int(), hash: z.string() }).nullable(),
    atSeq: z.int().nullable(),
    problem: z.string().nullable(),
    message: z.string().nullable(),
  }),
  revisions: z.array(RevisionAuditSchema),
  transparency: z
    .object({
      events: z.int(),
      included: z.int(),
      head: z.object({ treeSize: z.int(), rootHash: z.string(), timestamp: z.string() }).nullable(),
    })
    .nullable(),
  problems: z.array(ProblemSchema),
  summary: z.object({ vi: z.string(), en: z.string() }),
});
export type DocumentAudit = z.infer<typeof DocumentAuditSchema>;

/** What the global log says about one event: its recorded hash, and a proof when offline. */
export interface TransparencyEntry {
  readonly hash: string;
  readonly leafIndex: number;
  readonly proof?: InclusionProof;
}

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

interface EventLike {
  readonly seq: number;
  readonly hash: string;
  readonly type: string;
  readonly documentSha256?: string;
}

function asEvent(raw: unknown): EventLike | undefined {
  const e = raw as Partial<EventLike> | null;
  return e && typeof e.seq === 'number' && typeof e.hash === 'string' && typeof e.type === 'string'
    ? (e as EventLike)
    : undefined;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const short = (hex: string) => `${hex.slice(0, 12)}…`;

const ROLE_OF: Record<string, RevisionAudit['role']> = {
  created: 'draft',
  revised: 'draft',
  signed: 'signed',
  issued: 'issued',
};
const roleText = (role: RevisionAudit['role']) => reportText(`audit_role_${role}`);
const FILE_TEXT = {
  ok: 'audit_file_ok',
  missing: 'audit_file_missing',
  altered: 'audit_file_altered',
  unreadable: 'audit_file_unreadable',
} as const satisfies Record<RevisionAudit['file'], ReportCode>;

function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  return (
    whole.length >= prefix.length &&
    Buffer.from(whole.buffer, whole.byteOffset, prefix.length).equals(Buffer.from(prefix))
  );
}

export async function auditDocument(input: AuditInput): Promise<DocumentAudit> {
  const problems: Problem[] = [];
  // Each problem in both languages: the report is evidence read by either audience.
  const add = (code: string, message: ReportCode, params?: ReportParams) =>
    problems.push({ code, ...reports.both(message, params) });
  const now = input.now ?? new Date();

  // 1. The chain of the log, anchored at the head kept with the document.
  const chain = verifyChain(input.events, input.anchor ? { anchor: input.anchor } : {});
  if (!chain.ok) {
    add(`log-${chain.problem}`, 'audit_log_broken', {
      seq: chain.atSeq,
      problem: chain.problem,
      message: problemRef(chain.message),
    });
  }

  // 2. The versions of the file the events name, in order of first mention.
  const events = input.events.map(asEvent).filter((e): e is EventLike => e !== undefined);
  const order: string[] = [];
  const seqsOf = new Map<string, number[]>();
  const roleOf = new Map<string, RevisionAudit['role']>();
  for (const e of events) {
    if (!e.documentSha256) continue;
    if (!seqsOf.has(e.documentSha256)) {
      order.push(e.documentSha256);
      seqsOf.set(e.documentSha256, []);
      roleOf.set(e.documentSha256, ROLE_OF[e.type] ?? 'other');
    }
    seqsOf.get(e.documentSha256)?.push(e.seq);
  }

  const revisions: RevisionAudit[] = [];
  let previous: { bytes: Uint8Array; index: number } | undefined;
  const lastSha = order.at(-1);
  const lastBytes = lastSha ? input.revisions(lastSha) : undefined;
  const finalBytes = lastBytes && lastSha && sha256Hex(lastBytes) === lastSha ? lastBytes : undefined;
  for (const [i, sha] of order.entries()) {
    const index = i + 1;
    const role = roleOf.get(sha) ?? 'other';
    const seqs = seqsOf.get(sha) ?? [];
    const label = reportText('audit_revision', { index, role: roleText(role) });
    const bytes = input.revisions(sha);
    let file: RevisionAudit['file'] = 'ok';
    let actual: string | null = null;
    let report: VerificationReport | null = null;
    let extendsPrevious: boolean | null = null;
    let verifiedWithin: number | null = null;
    if (!bytes) {
      file = 'missing';
      add('revision-missing', 'audit_revision_missing', {
        revision: label,
        sha: short(sha),
        seqs: seqs.join(', '),
      });
    } else {
      actual = sha256Hex(bytes);
      if (actual !== sha) {
        file = 'altered';
        add('revision-altered', 'audit_revision_altered', {
          revision: label,
          actual: short(actual),
          sha: short(sha),
          seqs: seqs.join(', '),
        });
      }
      const covered =
        file === 'ok' &&
        role !== 'draft' &&
        index < order.length &&
        finalBytes &&
        startsWith(finalBytes, bytes);
      try {
        if (covered) verifiedWithin = order.length;
        else
          report = await verifyPdf(bytes, {
            trust: input.trust,
            crls: [...input.crls],
            wholeFile: input.wholeFile,
          });
      } catch (error) {
        file = file === 'ok' ? 'unreadable' : file;
        const why = error instanceof DomainError ? error.code : (error as Error).message;
        add('revision-unreadable', 'audit_revision_unreadable', { revision: label, why });
      }
      if (report) {
        for (const s of report.signatures.filter((x) => x.verdict !== 'valid')) {
          const who = s.signer?.commonName ?? '?';
          const why =
            s.problems.length > 0
              ? reportList(s.problems.map(problemRef))
              : reportText(
                  s.modifiedAfter || s.verdict === 'modified' ? 'audit_why_modified' : 'audit_why_invalid',
                );
          const params = { revision: label, index: s.index, signer: who, why };
          if (s.verdict === 'modified') add('signature-modified', 'audit_signature_modified', params);
          else add('signature-invalid', 'audit_signature_invalid', params);
        }
        if (role !== 'draft' && report.signatures.length === 0)
          add('revision-unsigned', 'audit_revision_unsigned', { revision: label });
      }
      if (previous && role !== 'draft' && file === 'ok') {
        extendsPrevious = startsWith(bytes, previous.bytes);
        if (!extendsPrevious)
          add('revision-not-incremental', 'audit_revision_not_incremental', {
            revision: label,
            previous: previous.index,
          });
      }
      if (file === 'ok') previous = { bytes, index };
    }
    revisions.push({
      index,
      sha256: sha,
      role,
      seqs,
      file,
      actualSha256: actual,
      extendsPrevious,
      verifiedWithin,
      report,
    });
  }

  // 3. The log and the file agree: which version is current, how many signatures it carries.
  const outgoing = events.filter((e) => (OUTGOING_EVENT_TYPES as readonly string[]).includes(e.type));
  const logCurrent = (outgoing.at(-1) ?? events.at(-1))?.documentSha256;
  if (input.currentSha256 && logCurrent && input.currentSha256 !== logCurrent)
    add('current-mismatch', 'audit_current_mismatch', {
      current: short(input.currentSha256),
      last: short(logCurrent),
    });
  const last = revisions.at(-1);
  const signingEvents = events.filter((e) => e.type === 'signed' || e.type === 'issued').length;
  const lastSignatures = last?.report?.signatures.filter((s) => s.type === 'signature').length;
  if (last?.report && last.file === 'ok' && lastSignatures !== signingEvents)
    add('signature-count-mismatch', 'audit_signature_count_mismatch', {
      events: signingEvents,
      signatures: lastSignatures ?? 0,
    });

  // 4. The global transparency log: every event is in it, with the hash it had when it was written.
  let transparency: DocumentAudit['transparency'] = null;
  if (input.transparency) {
    const { entries } = input.transparency;
    const parsedHead = SignedTreeHeadSchema.safeParse(input.transparency.head);
    const head = parsedHead.success ? parsedHead.data : undefined;
    if (input.transparency.head !== undefined) {
      if (!head) add('transparency-head-malformed', 'audit_tree_head_malformed');
      else
        for (const p of verifyTreeHead(head, input.trust).problems)
          add('transparency-head-invalid', 'audit_tree_head_invalid', { problem: problemRef(p) });
    }
    let included = 0;
    const headChecks = new Map<string, readonly string[]>();
    for (const e of events) {
      const entry = entries.get(e.seq);
      if (!entry) {
        add('transparency-missing', 'audit_transparency_missing', { seq: e.seq });
        continue;
      }
      if (entry.hash !== e.hash) {
        add('transparency-mismatch', 'audit_transparency_mismatch', {
          seq: e.seq,
          hash: short(e.hash),
          recorded: short(entry.hash),
          leaf: entry.leafIndex,
        });
        continue;
      }
      if (entry.proof) {
        const proof = entry.proof;
        const proofProblems: ReportParam[] = [];
        // Each distinct head is checked once (signature, chain), then each proof is only hashing.
        const key = proof.treeHead.signature.value;
        if (!headChecks.has(key)) {
          const headProblems =
            head && key === head.signature.value ? [] : verifyTreeHead(proof.treeHead, input.trust).problems;
          headChecks.set(key, headProblems);
          for (const p of headProblems)
            add('transparency-head-invalid', 'audit_tree_head_invalid', { problem: problemRef(p) });
        }
        if ((headChecks.get(key) ?? []).length > 0)
          proofProblems.push(reportText('audit_proof_head_unverified'));
        if (head && proof.treeHead.rootHash !== head.rootHash)
          proofProblems.push(reportText('audit_proof_other_head', { seq: e.seq }));
        if (proof.eventHash !== e.hash)
          proofProblems.push(reportText('audit_proof_other_event', { hash: short(proof.eventHash) }));
        if (
          proof.treeSize !== proof.treeHead.treeSize ||
          !verifyInclusion(
            proof.leafIndex,
            proof.treeSize,
            leafHash(fromHex(proof.eventHash)),
            proof.path.map(fromHex),
            fromHex(proof.treeHead.rootHash),
          )
        )
          proofProblems.push(
            reportText('audit_proof_path', { leaf: proof.leafIndex, size: proof.treeHead.treeSize }),
          );
        if (proofProblems.length > 0) {
          add('transparency-proof-invalid', 'audit_proof_invalid', {
            seq: e.seq,
            problems: reportList(proofProblems),
          });
          continue;
        }
      }
      included += 1;
    }
    transparency = {
      events: events.length,
      included,
      head: head ? { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp } : null,
    };
  }

  const verdict = problems.length === 0 ? 'valid' : 'invalid';
  const audit: DocumentAudit = {
    documentId: input.documentId,
    checkedAt: now.toISOString(),
    verdict,
    currentSha256: input.currentSha256 ?? logCurrent ?? null,
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
    transparency,
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
  const lines = [
    verdict === 'valid'
      ? reportText('audit_summary_valid', { documentId, events: eventCount, revisions: revisions.length })
      : reportText('audit_summary_invalid', { documentId, problems: problems.length }),
    reportText('audit_summary_chain', {
      state: reportText(chainOk ? 'audit_chain_intact' : 'audit_chain_altered'),
    }),
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
    ...problems.map((p) => `- ${p[language]}`),
  ]) as [string[], string[]];
  return { vi: vi.join('\n'), en: en.join('\n') };
}
