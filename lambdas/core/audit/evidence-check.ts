import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { LANGUAGES } from '../i18n/catalogue';
import { problemRef } from '../i18n/problems';
import { type ReportCode, type ReportParams, reports } from '../i18n/reports';
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
  const add = (code: string, message: ReportCode, params?: ReportParams) =>
    problems.push({ code, ...reports.both(message, params) });
  const done = (documentId: string | null, files: number, audit: DocumentAudit | null): EvidenceCheck => {
    const all = [...problems, ...(audit?.problems ?? [])];
    const ok = all.length === 0;
    return {
      ok,
      documentId,
      files,
      problems: all,
      audit,
      summary: Object.fromEntries(
        LANGUAGES.map((language) => [
          language,
          [
            ok
              ? reports.render('evidence_summary_valid', language, { documentId: documentId ?? '', files })
              : documentId
                ? reports.render('evidence_summary_invalid', language, { documentId, problems: all.length })
                : reports.render('evidence_summary_unreadable', language, { problems: all.length }),
            ...(audit ? audit.summary[language].split('\n').slice(1) : []),
            ...problems.map((p) => `- ${p[language]}`),
          ].join('\n'),
        ]),
      ) as EvidenceCheck['summary'],
    };
  };

  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (error) {
    add('package-unreadable', 'evidence_package_unreadable', { detail: (error as Error).message });
    return done(null, 0, null);
  }
  const files = new Map(Object.entries(entries).filter(([path]) => !path.endsWith('/')));
  const manifestBytes = files.get(PATHS.manifest);
  const manifest = ManifestSchema.safeParse(parseJson(manifestBytes));
  if (!manifestBytes || !manifest.success) {
    add('manifest-missing', 'evidence_manifest_missing');
    return done(null, files.size, null);
  }
  const m = manifest.data;

  // The manifest's signature (transparency log key, certified by the root).
  const sig = ManifestSignatureSchema.safeParse(parseJson(files.get(PATHS.manifestSignature)));
  if (!sig.success) {
    add('manifest-unsigned', 'evidence_manifest_unsigned');
  } else {
    try {
      const [leafB64, ...rest] = sig.data.certificates;
      const leaf = parseCertificate(new Uint8Array(Buffer.from(leafB64 ?? '', 'base64')));
      const oid = sig.data.algorithm === 'ecdsa-with-SHA256' ? OID.ecdsaWithSHA256 : OID.sha256WithRSA;
      if (
        !verifySignature(leaf.spki, oid, manifestBytes, new Uint8Array(Buffer.from(sig.data.value, 'base64')))
      )
        add('manifest-signature-invalid', 'evidence_manifest_signature_invalid');
      const path = validatePath({
        certificate: leaf,
        intermediates: rest.map((c) => parseCertificate(new Uint8Array(Buffer.from(c, 'base64')))),
        trust,
        at: new Date(m.createdAt),
      });
      for (const p of path.problems)
        add('manifest-signer-untrusted', 'evidence_manifest_signer_untrusted', { problem: problemRef(p) });
    } catch (error) {
      add('manifest-signature-unreadable', 'evidence_manifest_signature_unreadable', {
        detail: (error as Error).message,
      });
    }
  }

  // Every listed file present with its hash; nothing unlisted.
  const listed = new Set(m.files.map((f) => f.path));
  for (const f of m.files) {
    const bytes = files.get(f.path);
    if (!bytes) {
      add('file-missing', 'evidence_file_missing', { path: f.path });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== f.sha256)
      add('file-hash-mismatch', 'evidence_file_hash_mismatch', {
        path: f.path,
        actual: actual.slice(0, 12),
        expected: f.sha256.slice(0, 12),
      });
  }
  for (const path of files.keys()) {
    if (!listed.has(path) && path !== PATHS.manifest && path !== PATHS.manifestSignature)
      add('file-unlisted', 'evidence_file_unlisted', { path });
  }

  // The log as packaged.
  const eventsRaw = parseJson(files.get(PATHS.events));
  const events = Array.isArray(eventsRaw) ? (eventsRaw as unknown[]) : [];
  if (!Array.isArray(eventsRaw)) add('log-unreadable', 'evidence_log_unreadable');
  const headRaw = parseJson(files.get(PATHS.head)) as { seq?: unknown; hash?: unknown } | null | undefined;
  const anchor =
    headRaw && typeof headRaw.seq === 'number' && typeof headRaw.hash === 'string'
      ? { seq: headRaw.seq, hash: headRaw.hash }
      : undefined;
  if (!anchor && !m.share) add('log-head-missing', 'evidence_log_head_missing');
  else if (anchor && m.head && (m.head.seq !== anchor.seq || m.head.hash !== anchor.hash))
    add('log-head-mismatch', 'evidence_log_head_mismatch');

  // Revisions by the hash the log names them with; the file there must be that version.
  const bySha = new Map<string, Uint8Array>();
  for (const r of m.revisions) {
    const bytes = r.path ? files.get(r.path) : undefined;
    if (bytes) bySha.set(r.sha256, bytes);
  }
  for (const a of m.attachments ?? [])
    for (const [path, sha] of [
      [a.path, a.sha256],
      [a.signaturePath, a.signatureSha256],
    ] as const) {
      const bytes = path ? files.get(path) : undefined;
      if (bytes && sha) bySha.set(sha, bytes);
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
    add('transparency-proofs-unreadable', 'evidence_proofs_unreadable');
  }

  const audit = await auditDocument({
    documentId: m.documentId,
    events,
    anchor: m.share ? undefined : anchor,
    share: m.share,
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
      add('revision-unnamed', 'evidence_revision_unnamed', { index: r.index, sha: r.sha256.slice(0, 12) });
  const last = audit.revisions.at(-1);
  if (m.currentSha256 && last && last.sha256 !== m.currentSha256)
    add('current-not-last', 'evidence_current_not_last');
  return done(m.documentId, files.size, audit);
}
