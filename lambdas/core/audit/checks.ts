import { OUTGOING_EVENT_TYPES } from '../domain/events';
import { DomainError } from '../errors';
import { problemRef } from '../i18n/problems';
import {
  type ReportCode,
  type ReportParam,
  type ReportParams,
  reportList,
  reports,
  reportText,
} from '../i18n/reports';
import { sha256Hex } from '../io/hash';
import { MAX_VERIFIED_PDF_BYTES } from '../limits';
import { type ChainHead, type ChainVerification, verifyChain, verifyShare } from '../log/chain';
import { type VerificationReport, verifyPdf, type WholeFileParser } from '../pdf/verify';
import type { TrustStore } from '../pki/trust';
import { fromHex, leafHash, verifyInclusion } from '../transparency/merkle';
import { type InclusionProof, SignedTreeHeadSchema, verifyTreeHead } from '../transparency/tree-head';
import { type DocumentAudit, type Problem, type RevisionAudit, type RevisionRole, short } from './report';

/*
 * The checks a document audit is made of, each a small function returning the problems it finds (and what
 * the report says about it): the log chain, the history of versions the log names, each revision's file
 * and signatures and whether it extends the one before, the agreement between the log and the file, and
 * the global transparency log. audit-document.ts runs them in that order.
 */

/** What the global log says about one event: its recorded hash, and a proof when offline. */
export interface TransparencyEntry {
  readonly hash: string;
  readonly leafIndex: number;
  readonly proof?: InclusionProof;
}

/** An event as the checks after the chain read it (the chain check judges everything else). */
export interface LogEvent {
  readonly seq: number;
  readonly hash: string;
  readonly type: string;
  readonly documentSha256?: string;
}

function asEvent(raw: unknown): LogEvent | undefined {
  const e = raw as Partial<LogEvent> | null;
  return e && typeof e.seq === 'number' && typeof e.hash === 'string' && typeof e.type === 'string'
    ? (e as LogEvent)
    : undefined;
}

/** The items of the log that read as events, in log order. */
export const logEvents = (raw: readonly unknown[]): LogEvent[] =>
  raw.map(asEvent).filter((e): e is LogEvent => e !== undefined);

/** A problem in both languages: the report is evidence read by either audience. */
export const problem = (code: string, message: ReportCode, params?: ReportParams): Problem => ({
  code,
  ...reports.both(message, params),
});

/** What produced a version, as a parameter of the reports' texts. */
export const roleText = (role: RevisionRole): ReportParam => reportText(`audit_role_${role}`);

function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  return (
    whole.length >= prefix.length &&
    Buffer.from(whole.buffer, whole.byteOffset, prefix.length).equals(Buffer.from(prefix))
  );
}

// --- The log chain -------------------------------------------------------------------------------------------

/** The chain of the log, anchored at the head kept with the document: edits, deletions, reordering, truncation. */
export function checkLogChain(
  events: readonly unknown[],
  anchor: ChainHead | undefined,
): { chain: ChainVerification; problems: Problem[] } {
  const chain = verifyChain(events, anchor ? { anchor } : {});
  if (chain.ok) return { chain, problems: [] };
  return {
    chain,
    problems: [
      problem(`log-${chain.problem}`, 'audit_log_broken', {
        seq: chain.atSeq,
        problem: chain.problem,
        message: problemRef(chain.message),
      }),
    ],
  };
}

/** One organisation's share of the log: each event against its hash and its neighbours in the share. */
export function checkShareChain(events: readonly unknown[]): {
  chain: ChainVerification;
  problems: Problem[];
} {
  const chain = verifyShare(events);
  if (chain.ok) return { chain, problems: [] };
  return {
    chain,
    problems: [
      problem(`log-${chain.problem}`, 'audit_log_broken', {
        seq: chain.atSeq,
        problem: chain.problem,
        message: problemRef(chain.message),
      }),
    ],
  };
}

// --- The history of versions ---------------------------------------------------------------------------------

/** A version of the file as the log names it. */
export interface NamedRevision {
  readonly index: number;
  readonly sha256: string;
  readonly role: RevisionRole;
  /** The events that name it. */
  readonly seqs: readonly number[];
}

const ROLE_OF: Record<string, RevisionRole> = {
  created: 'draft',
  revised: 'draft',
  signed: 'signed',
  issued: 'issued',
  archived: 'archived',
  'archive-renewed': 'archived',
};

/** The versions the events name, in order of first mention; each has the role of the event that first names it. */
export function revisionsNamedBy(events: readonly LogEvent[]): NamedRevision[] {
  const named = new Map<string, { role: RevisionRole; seqs: number[] }>();
  for (const e of events) {
    if (!e.documentSha256) continue;
    let revision = named.get(e.documentSha256);
    if (!revision) {
      revision = { role: ROLE_OF[e.type] ?? 'other', seqs: [] };
      named.set(e.documentSha256, revision);
    }
    revision.seqs.push(e.seq);
  }
  return [...named].map(([sha256, { role, seqs }], i) => ({ index: i + 1, sha256, role, seqs }));
}

// --- Each revision -------------------------------------------------------------------------------------------

const labelOf = (r: NamedRevision): ReportParam =>
  reportText('audit_revision', { index: r.index, role: roleText(r.role) });

/** A version named by the log that the store does not have. */
function missingFile(r: NamedRevision): Problem {
  return problem('revision-missing', 'audit_revision_missing', {
    revision: labelOf(r),
    sha: short(r.sha256),
    seqs: r.seqs.join(', '),
  });
}

/** The file is the version the log names: its bytes hash to that name (a byte flipped in storage is named). */
export function checkRevisionFile(
  r: NamedRevision,
  bytes: Uint8Array,
): { file: 'ok' | 'altered'; actualSha256: string; problems: Problem[] } {
  const actualSha256 = sha256Hex(bytes);
  if (actualSha256 === r.sha256) return { file: 'ok', actualSha256, problems: [] };
  return {
    file: 'altered',
    actualSha256,
    problems: [
      problem('revision-altered', 'audit_revision_altered', {
        revision: labelOf(r),
        actual: short(actualSha256),
        sha: short(r.sha256),
        seqs: r.seqs.join(', '),
      }),
    ],
  };
}

/** What signatures are verified against. */
export interface SignatureContext {
  readonly trust: TrustStore;
  readonly crls: readonly Uint8Array[];
  readonly wholeFile?: WholeFileParser;
}

/**
 * The revision's signatures, verified with `verifyPdf` against the trust anchors and CRLs (plus those in
 * its DSS), unless `within` names the last version, of which this one is an intact prefix: its signatures
 * are then that version's first ones, verified there over exactly these bytes. `readable` is false when
 * the file cannot be read as a PDF.
 */
export async function checkRevisionSignatures(
  r: NamedRevision,
  bytes: Uint8Array,
  within: number | undefined,
  context: SignatureContext,
): Promise<{
  report: VerificationReport | null;
  verifiedWithin: number | null;
  readable: boolean;
  problems: Problem[];
}> {
  const label = labelOf(r);
  if (within !== undefined) return { report: null, verifiedWithin: within, readable: true, problems: [] };
  let report: VerificationReport;
  try {
    report = await verifyPdf(bytes, {
      trust: context.trust,
      crls: [...context.crls],
      maxBytes: MAX_VERIFIED_PDF_BYTES,
      wholeFile: context.wholeFile,
    });
  } catch (error) {
    const why = error instanceof DomainError ? error.code : (error as Error).message;
    return {
      report: null,
      verifiedWithin: null,
      readable: false,
      problems: [problem('revision-unreadable', 'audit_revision_unreadable', { revision: label, why })],
    };
  }
  const problems = report.signatures
    .filter((s) => s.verdict !== 'valid')
    .map((s) => {
      const who = s.signer?.commonName ?? '?';
      const why =
        s.problems.length > 0
          ? reportList(s.problems.map(problemRef))
          : reportText(
              s.modifiedAfter || s.verdict === 'modified' ? 'audit_why_modified' : 'audit_why_invalid',
            );
      const params = { revision: label, index: s.index, signer: who, why };
      return s.verdict === 'modified'
        ? problem('signature-modified', 'audit_signature_modified', params)
        : problem('signature-invalid', 'audit_signature_invalid', params);
    });
  if (r.role !== 'draft' && report.signatures.length === 0)
    problems.push(problem('revision-unsigned', 'audit_revision_unsigned', { revision: label }));
  return { report, verifiedWithin: null, readable: true, problems };
}

/** A signed version must extend the one before it (an incremental update): the content it signs was not rewritten. */
export function checkExtendsPrevious(
  r: NamedRevision,
  bytes: Uint8Array,
  previous: { readonly bytes: Uint8Array; readonly index: number },
): { extendsPrevious: boolean; problems: Problem[] } {
  if (startsWith(bytes, previous.bytes)) return { extendsPrevious: true, problems: [] };
  return {
    extendsPrevious: false,
    problems: [
      problem('revision-not-incremental', 'audit_revision_not_incremental', {
        revision: labelOf(r),
        previous: previous.index,
      }),
    ],
  };
}

/**
 * Every version the log names, in order: present, the very bytes named, readable, its signatures valid,
 * and (signed ones) extending the last intact version before it.
 */
export async function checkRevisions(
  history: readonly NamedRevision[],
  revisions: (sha256: string) => Uint8Array | undefined,
  context: SignatureContext,
): Promise<{ revisions: RevisionAudit[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const audits: RevisionAudit[] = [];
  const last = history.at(-1);
  const lastBytes = last ? revisions(last.sha256) : undefined;
  const finalBytes = lastBytes && last && sha256Hex(lastBytes) === last.sha256 ? lastBytes : undefined;
  let previous: { bytes: Uint8Array; index: number } | undefined;
  for (const r of history) {
    const entry = { index: r.index, sha256: r.sha256, role: r.role, seqs: [...r.seqs] };
    const bytes = revisions(r.sha256);
    if (!bytes) {
      problems.push(missingFile(r));
      audits.push({
        ...entry,
        file: 'missing',
        actualSha256: null,
        extendsPrevious: null,
        verifiedWithin: null,
        report: null,
      });
      continue;
    }
    const stored = checkRevisionFile(r, bytes);
    const covered =
      stored.file === 'ok' &&
      r.role !== 'draft' &&
      r.index < history.length &&
      finalBytes !== undefined &&
      startsWith(finalBytes, bytes);
    const signatures = await checkRevisionSignatures(r, bytes, covered ? history.length : undefined, context);
    const file = signatures.readable || stored.file !== 'ok' ? stored.file : 'unreadable';
    const extension =
      previous && r.role !== 'draft' && file === 'ok' ? checkExtendsPrevious(r, bytes, previous) : undefined;
    problems.push(...stored.problems, ...signatures.problems, ...(extension?.problems ?? []));
    if (file === 'ok') previous = { bytes, index: r.index };
    audits.push({
      ...entry,
      file,
      actualSha256: stored.actualSha256,
      extendsPrevious: extension?.extendsPrevious ?? null,
      verifiedWithin: signatures.verifiedWithin,
      report: signatures.report,
    });
  }
  return { revisions: audits, problems };
}

// --- The log and the file agree ------------------------------------------------------------------------------

/** The version the log says is current: the last one an outgoing event names (else the last event's). */
export function currentOfLog(events: readonly LogEvent[]): string | undefined {
  const outgoing = events.filter((e) => (OUTGOING_EVENT_TYPES as readonly string[]).includes(e.type));
  return (outgoing.at(-1) ?? events.at(-1))?.documentSha256;
}

/**
 * The log and the file agree: the current version is the last one the log names, and the last version
 * carries as many signatures as the log records signings.
 */
export function checkLogAgainstFile(
  events: readonly LogEvent[],
  revisions: readonly RevisionAudit[],
  currentSha256: string | undefined,
  draftLength?: number,
): Problem[] {
  const problems: Problem[] = [];
  const logCurrent = currentOfLog(events);
  if (currentSha256 && logCurrent && currentSha256 !== logCurrent)
    problems.push(
      problem('current-mismatch', 'audit_current_mismatch', {
        current: short(currentSha256),
        last: short(logCurrent),
      }),
    );
  const last = revisions.at(-1);
  const signatures = last?.report?.signatures.filter((s) => s.type === 'signature');
  // A draft may arrive signed already (a ministry's co-signature): those signatures cover no more than the
  // draft's bytes and no event of this log records them.
  const arrivedSigned =
    draftLength === undefined
      ? 0
      : (signatures ?? []).filter((s) => (s.byteRange[2] ?? 0) + (s.byteRange[3] ?? 0) <= draftLength).length;
  const signingEvents =
    events.filter((e) => e.type === 'signed' || e.type === 'issued').length + arrivedSigned;
  const lastSignatures = signatures?.length;
  if (last?.report && last.file === 'ok' && lastSignatures !== signingEvents)
    problems.push(
      problem('signature-count-mismatch', 'audit_signature_count_mismatch', {
        events: signingEvents,
        signatures: lastSignatures ?? 0,
      }),
    );
  return problems;
}

// --- The transparency log ------------------------------------------------------------------------------------

const headInvalid = (p: string) =>
  problem('transparency-head-invalid', 'audit_tree_head_invalid', { problem: problemRef(p) });

/**
 * The global transparency log: every event is in it with the hash it had when sequenced (an event edited
 * with its hash recomputed, or a whole rewritten chain, is caught here); offline, each inclusion proof
 * leads to the signed tree head, which verifies against the trust anchors.
 */
export function checkTransparency(
  events: readonly LogEvent[],
  transparency: { readonly entries: ReadonlyMap<number, TransparencyEntry>; readonly head?: unknown },
  trust: TrustStore,
): { transparency: NonNullable<DocumentAudit['transparency']>; problems: Problem[] } {
  const problems: Problem[] = [];
  const { entries } = transparency;
  const parsedHead = SignedTreeHeadSchema.safeParse(transparency.head);
  const head = parsedHead.success ? parsedHead.data : undefined;
  if (transparency.head !== undefined) {
    if (!head) problems.push(problem('transparency-head-malformed', 'audit_tree_head_malformed'));
    else for (const p of verifyTreeHead(head, trust).problems) problems.push(headInvalid(p));
  }
  let included = 0;
  const headChecks = new Map<string, readonly string[]>();
  for (const e of events) {
    const entry = entries.get(e.seq);
    if (!entry) {
      problems.push(problem('transparency-missing', 'audit_transparency_missing', { seq: e.seq }));
      continue;
    }
    if (entry.hash !== e.hash) {
      problems.push(
        problem('transparency-mismatch', 'audit_transparency_mismatch', {
          seq: e.seq,
          hash: short(e.hash),
          recorded: short(entry.hash),
          leaf: entry.leafIndex,
        }),
      );
      continue;
    }
    if (entry.proof) {
      const proof = entry.proof;
      const proofProblems: ReportParam[] = [];
      // Each distinct head is checked once (signature, chain), then each proof is only hashing.
      const key = proof.treeHead.signature.value;
      if (!headChecks.has(key)) {
        const headProblems =
          head && key === head.signature.value ? [] : verifyTreeHead(proof.treeHead, trust).problems;
        headChecks.set(key, headProblems);
        for (const p of headProblems) problems.push(headInvalid(p));
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
        problems.push(
          problem('transparency-proof-invalid', 'audit_proof_invalid', {
            seq: e.seq,
            problems: reportList(proofProblems),
          }),
        );
        continue;
      }
    }
    included += 1;
  }
  return {
    transparency: {
      events: events.length,
      included,
      head: head ? { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp } : null,
    },
    problems,
  };
}
