import { createHash } from 'node:crypto';
import * as z from 'zod';
import { OUTGOING_EVENT_TYPES } from '../core/domain/events';
import { DomainError } from '../core/errors';
import { MAX_VERIFIED_PDF_BYTES } from '../core/limits';
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
const ROLE_VI: Record<RevisionAudit['role'], string> = {
  draft: 'dự thảo',
  signed: 'đã ký',
  issued: 'ban hành (số, dấu)',
  other: 'khác',
};

function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  return (
    whole.length >= prefix.length &&
    Buffer.from(whole.buffer, whole.byteOffset, prefix.length).equals(Buffer.from(prefix))
  );
}

export async function auditDocument(input: AuditInput): Promise<DocumentAudit> {
  const problems: Problem[] = [];
  const add = (code: string, vi: string, en: string) => problems.push({ code, vi, en });
  const now = input.now ?? new Date();

  // 1. The chain of the log, anchored at the head kept with the document.
  const chain = verifyChain(input.events, input.anchor ? { anchor: input.anchor } : {});
  if (!chain.ok) {
    add(
      `log-${chain.problem}`,
      `Nhật ký luân chuyển không toàn vẹn tại sự kiện ${chain.atSeq} (${chain.problem}): ${chain.message}.`,
      `The circulation log is not intact at event ${chain.atSeq} (${chain.problem}): ${chain.message}.`,
    );
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
    const label = { vi: `Phiên bản ${index} (${ROLE_VI[role]})`, en: `Revision ${index} (${role})` };
    const bytes = input.revisions(sha);
    let file: RevisionAudit['file'] = 'ok';
    let actual: string | null = null;
    let report: VerificationReport | null = null;
    let extendsPrevious: boolean | null = null;
    let verifiedWithin: number | null = null;
    if (!bytes) {
      file = 'missing';
      add(
        'revision-missing',
        `${label.vi}, SHA-256 ${short(sha)}, được các sự kiện ${seqs.join(', ')} nêu tên nhưng không tìm thấy tệp.`,
        `${label.en}, SHA-256 ${short(sha)}, named by events ${seqs.join(', ')}, is missing.`,
      );
    } else {
      actual = sha256Hex(bytes);
      if (actual !== sha) {
        file = 'altered';
        add(
          'revision-altered',
          `${label.vi} đã bị thay đổi sau khi lưu: tệp có SHA-256 ${short(actual)}, nhật ký ghi ${short(sha)} (sự kiện ${seqs.join(', ')}).`,
          `${label.en} was changed after it was stored: the file hashes to ${short(actual)}, the log records ${short(sha)} (events ${seqs.join(', ')}).`,
        );
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
            maxBytes: MAX_VERIFIED_PDF_BYTES,
            wholeFile: input.wholeFile,
          });
      } catch (error) {
        file = file === 'ok' ? 'unreadable' : file;
        const why = error instanceof DomainError ? error.code : (error as Error).message;
        add(
          'revision-unreadable',
          `${label.vi} không đọc được như một tệp PDF (${why}).`,
          `${label.en} cannot be read as a PDF (${why}).`,
        );
      }
      if (report) {
        for (const s of report.signatures.filter((x) => x.verdict !== 'valid')) {
          const who = s.signer?.commonName ?? '?';
          const why = s.problems.join('; ') || (s.modifiedAfter ? 'modified after signing' : s.verdict);
          add(
            s.verdict === 'modified' ? 'signature-modified' : 'signature-invalid',
            `${label.vi}: chữ ký ${s.index} (${who}) ${s.verdict === 'modified' ? 'hợp lệ nhưng tài liệu bị sửa sau khi ký' : 'KHÔNG hợp lệ'}: ${why}.`,
            `${label.en}: signature ${s.index} (${who}) is ${s.verdict === 'modified' ? 'valid but the document was modified after signing' : 'NOT valid'}: ${why}.`,
          );
        }
        if (role !== 'draft' && report.signatures.length === 0)
          add(
            'revision-unsigned',
            `${label.vi} không có chữ ký số, trong khi nhật ký ghi nhận việc ký.`,
            `${label.en} carries no signature, though the log records a signing.`,
          );
      }
      if (previous && role !== 'draft' && file === 'ok') {
        extendsPrevious = startsWith(bytes, previous.bytes);
        if (!extendsPrevious)
          add(
            'revision-not-incremental',
            `${label.vi} không nối tiếp phiên bản ${previous.index}: nội dung trước khi ký đã bị viết lại.`,
            `${label.en} does not extend revision ${previous.index}: the content before it was signed was rewritten.`,
          );
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
    add(
      'current-mismatch',
      `Phiên bản hiện hành (${short(input.currentSha256)}) không phải phiên bản cuối cùng nhật ký ghi nhận (${short(logCurrent)}).`,
      `The current version (${short(input.currentSha256)}) is not the last one the log records (${short(logCurrent)}).`,
    );
  const last = revisions.at(-1);
  const signingEvents = events.filter((e) => e.type === 'signed' || e.type === 'issued').length;
  const lastSignatures = last?.report?.signatures.filter((s) => s.type === 'signature').length;
  if (last?.report && last.file === 'ok' && lastSignatures !== signingEvents)
    add(
      'signature-count-mismatch',
      `Nhật ký ghi nhận ${signingEvents} lần ký, phiên bản cuối có ${lastSignatures} chữ ký.`,
      `The log records ${signingEvents} signings, the last revision carries ${lastSignatures} signatures.`,
    );

  // 4. The global transparency log: every event is in it, with the hash it had when it was written.
  let transparency: DocumentAudit['transparency'] = null;
  if (input.transparency) {
    const { entries } = input.transparency;
    const parsedHead = SignedTreeHeadSchema.safeParse(input.transparency.head);
    const head = parsedHead.success ? parsedHead.data : undefined;
    if (input.transparency.head !== undefined) {
      if (!head)
        add(
          'transparency-head-malformed',
          'Bản ghi đầu cây (tree head) không đúng định dạng.',
          'The signed tree head is malformed.',
        );
      else
        for (const p of verifyTreeHead(head, input.trust).problems)
          add('transparency-head-invalid', `Đầu cây ký số không hợp lệ: ${p}.`, `Signed tree head: ${p}.`);
    }
    let included = 0;
    const headChecks = new Map<string, readonly string[]>();
    for (const e of events) {
      const entry = entries.get(e.seq);
      if (!entry) {
        add(
          'transparency-missing',
          `Sự kiện ${e.seq} không có trong nhật ký minh bạch toàn hệ thống.`,
          `Event ${e.seq} is not in the system-wide transparency log.`,
        );
        continue;
      }
      if (entry.hash !== e.hash) {
        add(
          'transparency-mismatch',
          `Sự kiện ${e.seq} có mã băm ${short(e.hash)}, nhưng nhật ký minh bạch đã ghi ${short(entry.hash)} (lá ${entry.leafIndex}): sự kiện đã bị sửa sau khi ghi.`,
          `Event ${e.seq} hashes to ${short(e.hash)}, but the transparency log recorded ${short(entry.hash)} at leaf ${entry.leafIndex}: the event was changed after it was written.`,
        );
        continue;
      }
      if (entry.proof) {
        const proof = entry.proof;
        const proofProblems: string[] = [];
        // Each distinct head is checked once (signature, chain), then each proof is only hashing.
        const key = proof.treeHead.signature.value;
        if (!headChecks.has(key)) {
          const headProblems =
            head && key === head.signature.value ? [] : verifyTreeHead(proof.treeHead, input.trust).problems;
          headChecks.set(key, headProblems);
          for (const p of headProblems)
            add('transparency-head-invalid', `Đầu cây ký số không hợp lệ: ${p}.`, `Signed tree head: ${p}.`);
        }
        if ((headChecks.get(key) ?? []).length > 0) proofProblems.push('its tree head does not verify');
        if (head && proof.treeHead.rootHash !== head.rootHash)
          proofProblems.push(`the proof of event ${e.seq} is for another tree head`);
        if (proof.eventHash !== e.hash)
          proofProblems.push(`it is about another event (hash ${short(proof.eventHash)})`);
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
            `the path from leaf ${proof.leafIndex} does not lead to the signed root of the tree of ${proof.treeHead.treeSize}`,
          );
        if (proofProblems.length > 0) {
          add(
            'transparency-proof-invalid',
            `Bằng chứng có mặt của sự kiện ${e.seq} trong nhật ký minh bạch không hợp lệ: ${proofProblems.join('; ')}.`,
            `The inclusion proof of event ${e.seq} does not hold: ${proofProblems.join('; ')}.`,
          );
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
