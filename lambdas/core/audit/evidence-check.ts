import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import type { WholeFileParser } from '../pdf/verify';
import { verifySignature } from '../pki/algorithms';
import { parseCertificate } from '../pki/certificate';
import { OID } from '../pki/oids';
import { type TrustStore, validatePath } from '../pki/trust';
import { SignedTreeHeadSchema } from '../transparency/tree-head';
import { auditDocument } from './audit-document';
import type { TransparencyEntry } from './checks';
import { ManifestSchema, ManifestSignatureSchema, PATHS, PackagedProofSchema } from './evidence-format';
import type { DocumentAudit, Problem } from './report';

/*
 * `docflow verify-evidence`: re-checks an evidence package offline, trusting only the roots given. First
 * the package itself (manifest hashes, the manifest's signature, no unlisted file), then every audit rule
 * (audit-document.ts) on the package's own copies: the PDFs, the log, the head, the transparency proofs.
 */

export interface EvidenceCheck {
  readonly ok: boolean;
  readonly documentId: string | null;
  readonly files: number;
  readonly problems: readonly Problem[];
  readonly audit: DocumentAudit | null;
  readonly summary: { readonly vi: string; readonly en: string };
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(text(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** `wholeFile`: libpdf's whole-file parse for revisions the lazy reader cannot follow (verify-whole-file.ts). */
export async function verifyEvidence(
  zip: Uint8Array,
  trust: TrustStore,
  options: { readonly wholeFile?: WholeFileParser } = {},
): Promise<EvidenceCheck> {
  const problems: Problem[] = [];
  const add = (code: string, vi: string, en: string) => problems.push({ code, vi, en });
  const done = (documentId: string | null, files: number, audit: DocumentAudit | null): EvidenceCheck => {
    const all = [...problems, ...(audit?.problems ?? [])];
    const ok = all.length === 0;
    return {
      ok,
      documentId,
      files,
      problems: all,
      audit,
      summary: {
        vi: [
          ok
            ? `Gói chứng cứ của văn bản ${documentId}: HỢP LỆ (${files} tệp).`
            : `Gói chứng cứ${documentId ? ` của văn bản ${documentId}` : ''}: KHÔNG HỢP LỆ (${all.length} vấn đề).`,
          ...(audit ? audit.summary.vi.split('\n').slice(1) : []),
          ...problems.map((p) => `- ${p.vi}`),
        ].join('\n'),
        en: [
          ok
            ? `Evidence package of document ${documentId}: VALID (${files} files).`
            : `Evidence package${documentId ? ` of document ${documentId}` : ''}: NOT VALID (${all.length} problems).`,
          ...(audit ? audit.summary.en.split('\n').slice(1) : []),
          ...problems.map((p) => `- ${p.en}`),
        ].join('\n'),
      },
    };
  };

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (error) {
    add(
      'package-unreadable',
      `Tệp không phải gói ZIP đọc được: ${(error as Error).message}.`,
      `Not a readable ZIP: ${(error as Error).message}.`,
    );
    return done(null, 0, null);
  }
  const files = new Map(Object.entries(entries).filter(([path]) => !path.endsWith('/')));
  const manifestBytes = files.get(PATHS.manifest);
  const manifest = ManifestSchema.safeParse(parseJson(manifestBytes));
  if (!manifestBytes || !manifest.success) {
    add('manifest-missing', 'Gói không có manifest.json hợp lệ.', 'The package has no valid manifest.json.');
    return done(null, files.size, null);
  }
  const m = manifest.data;

  // The manifest's signature (transparency log key, certified by the root).
  const sig = ManifestSignatureSchema.safeParse(parseJson(files.get(PATHS.manifestSignature)));
  if (!sig.success) {
    add('manifest-unsigned', 'manifest.json không có chữ ký.', 'manifest.json is not signed.');
  } else {
    try {
      const [leafB64, ...rest] = sig.data.certificates;
      const leaf = parseCertificate(new Uint8Array(Buffer.from(leafB64 ?? '', 'base64')));
      const oid = sig.data.algorithm === 'ecdsa-with-SHA256' ? OID.ecdsaWithSHA256 : OID.sha256WithRSA;
      if (
        !verifySignature(leaf.spki, oid, manifestBytes, new Uint8Array(Buffer.from(sig.data.value, 'base64')))
      )
        add(
          'manifest-signature-invalid',
          'Chữ ký của manifest.json không khớp: manifest đã bị sửa.',
          'The signature of manifest.json does not match: the manifest was edited.',
        );
      const path = validatePath({
        certificate: leaf,
        intermediates: rest.map((c) => parseCertificate(new Uint8Array(Buffer.from(c, 'base64')))),
        trust,
        at: new Date(m.createdAt),
      });
      for (const p of path.problems)
        add('manifest-signer-untrusted', `Người ký manifest: ${p}.`, `Manifest signer: ${p}.`);
    } catch (error) {
      add(
        'manifest-signature-unreadable',
        `Chữ ký manifest không đọc được: ${(error as Error).message}.`,
        `The manifest signature cannot be read: ${(error as Error).message}.`,
      );
    }
  }

  // Every listed file present with its hash; nothing unlisted.
  const listed = new Set(m.files.map((f) => f.path));
  for (const f of m.files) {
    const bytes = files.get(f.path);
    if (!bytes) {
      add('file-missing', `Thiếu tệp ${f.path}.`, `File ${f.path} is missing.`);
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== f.sha256)
      add(
        'file-hash-mismatch',
        `Tệp ${f.path} đã bị thay đổi: SHA-256 là ${actual.slice(0, 12)}…, manifest ghi ${f.sha256.slice(0, 12)}….`,
        `File ${f.path} was changed: it hashes to ${actual.slice(0, 12)}…, the manifest says ${f.sha256.slice(0, 12)}….`,
      );
  }
  for (const path of files.keys()) {
    if (!listed.has(path) && path !== PATHS.manifest && path !== PATHS.manifestSignature)
      add('file-unlisted', `Tệp ${path} không có trong manifest.`, `File ${path} is not in the manifest.`);
  }

  // The log as packaged.
  const eventsRaw = parseJson(files.get(PATHS.events));
  const events = Array.isArray(eventsRaw) ? (eventsRaw as unknown[]) : [];
  if (!Array.isArray(eventsRaw))
    add('log-unreadable', 'Không đọc được log/events.json.', 'log/events.json cannot be read.');
  const headRaw = parseJson(files.get(PATHS.head)) as { seq?: unknown; hash?: unknown } | null | undefined;
  const anchor =
    headRaw && typeof headRaw.seq === 'number' && typeof headRaw.hash === 'string'
      ? { seq: headRaw.seq, hash: headRaw.hash }
      : undefined;
  if (!anchor)
    add(
      'log-head-missing',
      'Gói không có đầu chuỗi nhật ký (log/head.json).',
      'log/head.json (the chain head) is missing.',
    );
  else if (m.head && (m.head.seq !== anchor.seq || m.head.hash !== anchor.hash))
    add(
      'log-head-mismatch',
      'Đầu chuỗi trong log/head.json khác với manifest.',
      'The chain head in log/head.json differs from the manifest.',
    );

  // Revisions by the hash the log names them with; the file there must be that version.
  const bySha = new Map<string, Uint8Array>();
  for (const r of m.revisions) {
    const bytes = r.path ? files.get(r.path) : undefined;
    if (bytes) bySha.set(r.sha256, bytes);
  }
  const crls = [...files.entries()].filter(([p]) => p.endsWith('.crl')).map(([, b]) => b);

  // Transparency: the signed head and one proof per event.
  const headJson = parseJson(files.get(PATHS.treeHead));
  const treeHead = SignedTreeHeadSchema.safeParse(headJson);
  const proofs = PackagedProofSchema.array().safeParse(parseJson(files.get(PATHS.proofs)));
  const transparency = new Map<number, TransparencyEntry>();
  if (treeHead.success && proofs.success) {
    for (const p of proofs.data)
      transparency.set(p.seq, {
        hash: p.eventHash,
        leafIndex: p.leafIndex,
        proof: {
          kind: 'inclusion',
          documentId: m.documentId,
          seq: p.seq,
          eventHash: p.eventHash,
          leafIndex: p.leafIndex,
          treeSize: p.treeSize,
          path: p.path,
          treeHead: treeHead.data,
        },
      });
  } else if (!proofs.success) {
    add(
      'transparency-proofs-unreadable',
      'Không đọc được bằng chứng của nhật ký minh bạch.',
      'The transparency proofs cannot be read.',
    );
  }

  const audit = await auditDocument({
    documentId: m.documentId,
    events,
    anchor,
    revisions: (sha) => bySha.get(sha),
    currentSha256: m.currentSha256 ?? undefined,
    trust,
    crls,
    wholeFile: options.wholeFile,
    transparency: { entries: transparency, head: headJson },
  });

  // The log and the manifest name the same versions.
  const named = new Set(audit.revisions.map((r) => r.sha256));
  for (const r of m.revisions)
    if (!named.has(r.sha256))
      add(
        'revision-unnamed',
        `Phiên bản ${r.index} (${r.sha256.slice(0, 12)}…) không được sự kiện nào trong nhật ký nêu tên.`,
        `Revision ${r.index} (${r.sha256.slice(0, 12)}…) is named by no event of the log.`,
      );
  const last = audit.revisions.at(-1);
  if (m.currentSha256 && last && last.sha256 !== m.currentSha256)
    add(
      'current-not-last',
      'Phiên bản cuối cùng trong gói không phải phiên bản hiện hành.',
      'The last revision in the package is not the current one.',
    );
  return done(m.documentId, files.size, audit);
}
