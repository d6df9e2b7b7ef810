import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type EvidenceCheck, verifyEvidence } from '../lambdas/core/audit/evidence-check';
import { DomainError } from '../lambdas/core/errors';
import { renderError } from '../lambdas/core/i18n/messages';
import { problemText } from '../lambdas/core/i18n/problems';
import { eventHash } from '../lambdas/core/log/chain';
import { type SignatureReport, type VerificationReport, verifyPdf } from '../lambdas/core/pdf/verify';
import { wholeFileParser } from '../lambdas/core/pdf/verify-whole-file';
import { pemDecodeAll } from '../lambdas/core/pki/asn1';
import { TrustStore } from '../lambdas/core/pki/trust';
import {
  type Check,
  ConsistencyProofSchema,
  InclusionProofSchema,
  SignedTreeHeadSchema,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '../lambdas/core/transparency/tree-head';

/*
 * docflow's offline verifier: no network, no account, nothing but the files given and the roots trusted.
 * Exit codes: 0 everything verified; 1 something did not (an invalid or modified signature, a tampered
 * package or proof); 2 the command could not run (usage, unreadable input).
 */

type Lang = 'vi' | 'en';

const USAGE = `Sử dụng / usage:
  docflow verify <file.pdf> [--trust root.pem]… [--crl file.crl]… [--json] [--lang vi|en]
  docflow verify-evidence <package.zip> --trust root.pem [--json] [--lang vi|en]
  docflow verify-proof <proof.json> [--trust root.pem] [--event event.json] [--head saved-head.json]
                       [--json] [--lang vi|en]

  --trust   trust anchors (PEM, may hold several roots); repeatable
  --crl     CRLs (DER or PEM) in addition to those in the document; repeatable
  --event   verify-proof: the event (JSON) the inclusion proof is about; its hash is recomputed
  --head    verify-proof: a tree head kept earlier; the proof must be about that exact head
            (inclusion) or start from it (consistency)
Exit: 0 verified, 1 not verified, 2 could not run.`;

class UsageError extends Error {}

const T = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);

async function loadTrust(paths: readonly string[]): Promise<TrustStore> {
  const pems = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
  const store = TrustStore.fromPem(...pems);
  if (paths.length > 0 && store.anchors.length === 0)
    throw new UsageError(`no certificate in ${paths.join(', ')}`);
  return store;
}

async function loadCrls(paths: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const path of paths) {
    const bytes = new Uint8Array(await readFile(path));
    const text = Buffer.from(bytes).toString('latin1');
    out.push(...(text.includes('-----BEGIN X509 CRL-----') ? pemDecodeAll(text, 'X509 CRL') : [bytes]));
  }
  return out;
}

function signatureLines(s: SignatureReport, lang: Lang): string[] {
  const yes = T(lang, 'có', 'yes');
  const no = T(lang, 'KHÔNG', 'NO');
  const verdict = {
    valid: T(lang, 'HỢP LỆ', 'VALID'),
    modified: T(lang, 'HỢP LỆ, NHƯNG TÀI LIỆU BỊ SỬA SAU KHI KÝ', 'VALID, BUT MODIFIED AFTER SIGNING'),
    invalid: T(lang, 'KHÔNG HỢP LỆ', 'NOT VALID'),
  }[s.verdict];
  const lines = [
    `${T(lang, 'Chữ ký', 'Signature')} ${s.index} [${s.fieldName}]: ${verdict}`,
    `  ${T(lang, 'Người ký', 'Signer')}: ${s.signer?.subject ?? '?'}`,
    `  ${T(lang, 'Nơi cấp', 'Issuer')}: ${s.signer?.issuer ?? '?'}  (serial ${s.signer?.serial ?? '?'})`,
  ];
  if (s.capacity || s.kind)
    lines.push(
      `  ${T(lang, 'Thẩm quyền / loại', 'Capacity / kind')}: ${s.capacity ?? '—'} / ${s.kind ?? s.type}`,
    );
  if (s.reason) lines.push(`  ${T(lang, 'Lý do', 'Reason')}: ${s.reason}`);
  lines.push(
    `  ${T(lang, 'Thời điểm ký khai báo', 'Claimed time')}: ${s.claimedTime ?? '—'}`,
    `  ${T(lang, 'Dấu thời gian', 'Timestamp')}: ${s.timestamp ? `${s.timestamp.time} (${s.timestamp.authority ?? '?'}; ${s.timestamp.valid && s.timestamp.trusted ? T(lang, 'hợp lệ, tin cậy', 'valid, trusted') : T(lang, 'KHÔNG hợp lệ hoặc không tin cậy', 'NOT valid or not trusted')})` : '—'}`,
    `  ${T(lang, 'Toàn vẹn (băm, chữ ký, phạm vi)', 'Integrity (digest, signature, byte range)')}: ${s.digestValid ? yes : no}, ${s.signatureValid ? yes : no}, ${s.coversWholeRevision ? yes : no}`,
    `  ${T(lang, 'Chuỗi chứng thư đến gốc tin cậy', 'Chain to a trusted root')}: ${s.chainTrusted ? yes : no}`,
    `  ${T(lang, 'Chứng thư còn hiệu lực lúc ký', 'Certificate valid at signing time')} (${s.validationTime}): ${s.certificateValidAtSigningTime ? yes : no}; ${T(lang, 'thu hồi', 'revocation')}: ${s.revocation}${s.revokedAt ? ` (${s.revokedAt})` : ''}`,
  );
  if (s.changesAfter.length > 0)
    lines.push(
      `  ${T(lang, 'Thay đổi sau khi ký', 'Changes after signing')}: ${s.changesAfter.map((c) => `${c.category}${c.allowed ? '' : T(lang, ' (KHÔNG được phép)', ' (NOT allowed)')}`).join(', ')}`,
    );
  for (const p of s.problems) lines.push(`  ! ${problemText(p, lang)}`);
  return lines;
}

function pdfReport(file: string, report: VerificationReport, lang: Lang, trusted: boolean): string {
  const lines = [
    `${T(lang, 'Tệp', 'File')}: ${file} (${report.fileSize} bytes, ${report.revisions} ${T(lang, 'lần cập nhật', 'revisions')})`,
  ];
  if (!trusted)
    lines.push(
      T(
        lang,
        'Cảnh báo: không có --trust, không chữ ký nào có thể được coi là tin cậy.',
        'Warning: no --trust given, so no signature can be trusted.',
      ),
    );
  for (const s of report.signatures) lines.push('', ...signatureLines(s, lang));
  lines.push('', report.summary[lang]);
  lines.push(
    '',
    report.verdict === 'valid'
      ? T(lang, 'KẾT LUẬN: mọi chữ ký hợp lệ.', 'RESULT: every signature is valid.')
      : report.verdict === 'unsigned'
        ? T(lang, 'KẾT LUẬN: tài liệu không có chữ ký số.', 'RESULT: the document is not signed.')
        : T(lang, 'KẾT LUẬN: có chữ ký KHÔNG hợp lệ.', 'RESULT: some signature is NOT valid.'),
  );
  return lines.join('\n');
}

function evidenceReport(check: EvidenceCheck, lang: Lang): string {
  return [
    check.summary[lang],
    '',
    check.ok
      ? T(lang, 'KẾT LUẬN: gói chứng cứ hợp lệ.', 'RESULT: the evidence package verifies.')
      : T(lang, 'KẾT LUẬN: gói chứng cứ KHÔNG hợp lệ.', 'RESULT: the evidence package does NOT verify.'),
  ].join('\n');
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

async function checkProof(
  path: string,
  trust: TrustStore | undefined,
  eventPath: string | undefined,
  headPath: string | undefined,
): Promise<Check & { kind: string; detail: string }> {
  const raw = await readJson(path);
  const kind = (raw as { kind?: unknown } | null)?.kind;
  const saved = headPath ? SignedTreeHeadSchema.safeParse(await readJson(headPath)) : undefined;
  if (saved && !saved.success) throw new UsageError(`${headPath}: not a signed tree head`);
  if (kind === 'inclusion') {
    const proof = InclusionProofSchema.safeParse(raw);
    if (!proof.success) throw new UsageError(`${path}: not an inclusion proof`);
    const p = proof.data;
    const problems = [...verifyInclusionProof(p, trust).problems];
    if (eventPath) {
      const event = (await readJson(eventPath)) as Record<string, unknown>;
      const recomputed = eventHash(event);
      if (recomputed !== p.eventHash || event.hash !== p.eventHash)
        problems.push(
          `the event in ${eventPath} hashes to ${recomputed} (its hash field says ${String(event.hash)}), the proof is about ${p.eventHash}`,
        );
      if (event.documentId !== p.documentId || event.seq !== p.seq)
        problems.push(`the event in ${eventPath} is not event ${p.seq} of document ${p.documentId}`);
    }
    if (
      saved?.success &&
      (saved.data.treeSize !== p.treeHead.treeSize || saved.data.rootHash !== p.treeHead.rootHash)
    )
      problems.push(
        `the proof is against the head of size ${p.treeHead.treeSize}, not the saved head of size ${saved.data.treeSize}`,
      );
    return {
      ok: problems.length === 0,
      problems,
      kind,
      detail: `event ${p.seq} of ${p.documentId} at leaf ${p.leafIndex} of ${p.treeSize} (root ${p.treeHead.rootHash}, ${p.treeHead.timestamp}); ${p.path.length} hashes`,
    };
  }
  if (kind === 'consistency') {
    const proof = ConsistencyProofSchema.safeParse(raw);
    if (!proof.success) throw new UsageError(`${path}: not a consistency proof`);
    const p = proof.data;
    const problems = [...verifyConsistencyProof(p, trust).problems];
    if (
      saved?.success &&
      (saved.data.treeSize !== p.from.treeSize || saved.data.rootHash !== p.from.rootHash)
    )
      problems.push(
        `the saved head (size ${saved.data.treeSize}, root ${saved.data.rootHash.slice(0, 12)}…) is not where the proof starts (size ${p.from.treeSize}, root ${p.from.rootHash.slice(0, 12)}…)`,
      );
    return {
      ok: problems.length === 0,
      problems,
      kind,
      detail: `tree of ${p.from.treeSize} (${p.from.timestamp}) → tree of ${p.to.treeSize} (${p.to.timestamp}); ${p.path.length} hashes`,
    };
  }
  throw new UsageError(`${path}: neither an inclusion nor a consistency proof`);
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      event: { type: 'string' },
      head: { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'vi' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (values.lang !== 'vi' && values.lang !== 'en') throw new UsageError('--lang is vi or en');
  const lang: Lang = values.lang;
  if (!file || extra.length > 0) throw new UsageError(`${command} takes exactly one file`);
  const trust = await loadTrust(values.trust);

  switch (command) {
    case 'verify': {
      // An auditor's machine can afford libpdf's whole-file parse: damaged files are examined, not refused.
      const report = await verifyPdf(file, {
        trust,
        crls: await loadCrls(values.crl),
        wholeFile: wholeFileParser,
      });
      console.log(
        values.json
          ? JSON.stringify(report, null, 2)
          : pdfReport(file, report, lang, values.trust.length > 0),
      );
      return report.verdict === 'valid' ? 0 : 1;
    }
    case 'verify-evidence': {
      if (values.trust.length === 0) throw new UsageError('verify-evidence needs --trust root.pem');
      const check = await verifyEvidence(new Uint8Array(await readFile(file)), trust, {
        wholeFile: wholeFileParser,
      });
      console.log(values.json ? JSON.stringify(check, null, 2) : evidenceReport(check, lang));
      return check.ok ? 0 : 1;
    }
    case 'verify-proof': {
      const check = await checkProof(
        file,
        values.trust.length > 0 ? trust : undefined,
        values.event,
        values.head,
      );
      if (values.json) console.log(JSON.stringify(check, null, 2));
      else {
        console.log(`${check.kind}: ${check.detail}`);
        if (values.trust.length === 0)
          console.log(
            T(
              lang,
              'Cảnh báo: không có --trust, chỉ kiểm tra chữ ký đầu cây bằng chứng thư kèm theo.',
              'Warning: no --trust, the tree head is checked only against the certificate it carries.',
            ),
          );
        for (const p of check.problems) console.log(`  ! ${p}`);
        console.log(
          check.ok
            ? T(lang, 'KẾT LUẬN: bằng chứng hợp lệ.', 'RESULT: the proof holds.')
            : T(lang, 'KẾT LUẬN: bằng chứng KHÔNG hợp lệ.', 'RESULT: the proof does NOT hold.'),
        );
      }
      return check.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`docflow: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof DomainError) {
      // In the language asked for, as the reports are (`--lang en` or `--lang=en`; Vietnamese otherwise).
      const at = argv.indexOf('--lang');
      const lang = argv.includes('--lang=en') || (at >= 0 && argv[at + 1] === 'en') ? 'en' : 'vi';
      console.error(`docflow: ${renderError(error, lang)}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`docflow: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      console.error(`docflow: ${(error as Error).message}`);
      return 2;
    }
    console.error('docflow:', error);
    return 2;
  }
}
