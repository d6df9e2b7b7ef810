import { zipSync } from 'fflate';
import { sha256Hex } from '../io/hash';
import { signBytes } from '../pki/algorithms';
import { pemEncode } from '../pki/asn1';
import type { DigestSigner } from '../ports/signer';
import type { InclusionProof, SignedTreeHead } from '../transparency/tree-head';
import {
  EVIDENCE_FORMAT,
  type Manifest,
  ManifestSchema,
  PATHS,
  type PackagedProof,
  README,
} from './evidence-format';
import { validationData } from './pdf-dss';
import type { DocumentAudit } from './report';
import { auditHtml } from './report-html';

/*
 * An evidence package: everything an auditor needs to prove, years later and offline, who signed what and
 * how the document travelled, laid out as evidence-format.ts says and signed by the transparency log key.
 */

const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (value: unknown) => utf8(`${JSON.stringify(value, null, 2)}\n`);
const pad2 = (n: number) => String(n).padStart(2, '0');

export interface EvidencePackage {
  readonly zip: Uint8Array;
  readonly fileName: string;
  readonly sha256: string;
}

/** The package as it is answered or stored: the ZIP, named after the document's symbol (or id). */
export function evidencePackage(zip: Uint8Array, symbolOrId: string): EvidencePackage {
  // Letters of any script kept ("18_QĐ-UBND"): the header says it in UTF-8 (text/content-disposition.ts).
  const name = symbolOrId.normalize('NFC').replace(/[^\p{L}\p{N}.-]+/gu, '_');
  return { zip, fileName: `evidence-${name}.zip`, sha256: sha256Hex(zip) };
}

export interface EvidenceParts {
  readonly documentId: string;
  readonly document: Manifest['document'];
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** The package holds this organisation's share of the log (no chain head then). */
  readonly share?: { readonly orgId: string };
  readonly currentSha256: string | null;
  /** The stored log items' texts, in storage order. */
  readonly logTexts: readonly string[];
  readonly revisions: (sha256: string) => Uint8Array | undefined;
  readonly audit: DocumentAudit;
  readonly trustPem: string;
  readonly crl: Uint8Array;
  readonly treeHead: SignedTreeHead;
  readonly proofs: readonly InclusionProof[];
  /** Signs the manifest (the transparency log key). */
  readonly signer: DigestSigner;
  readonly chain: readonly Uint8Array[];
  readonly now?: Date;
}

/** Lays out and zips a package (pure but for the signer: usable offline, in tests and benchmarks). */
export async function packEvidence(parts: EvidenceParts): Promise<Uint8Array> {
  const { audit } = parts;
  const files = new Map<string, Uint8Array>();
  files.set(PATHS.readme, utf8(README));
  const revisions: Manifest['revisions'] = [];
  for (const r of audit.revisions) {
    const bytes = parts.revisions(r.sha256);
    const path = bytes ? `revisions/${pad2(r.index)}-${r.role}-${r.sha256.slice(0, 16)}.pdf` : null;
    if (path && bytes) files.set(path, bytes);
    revisions.push({ index: r.index, path, sha256: r.sha256, role: r.role, seqs: r.seqs });
    if (bytes && r.role !== 'draft') {
      const dss = await validationData(bytes).catch(() => ({ certificates: [], crls: [] }));
      const dir = `pki/revision-${pad2(r.index)}`;
      if (dss.certificates.length > 0)
        files.set(
          `${dir}/certificates.pem`,
          utf8(dss.certificates.map((c) => pemEncode('CERTIFICATE', c)).join('')),
        );
      dss.crls.forEach((crl, i) => {
        files.set(`${dir}/crl-${i + 1}.crl`, crl);
      });
    }
  }
  // The sealed attachments in files of their own, each with its detached seal signature when it has one.
  const attachments: NonNullable<Manifest['attachments']> = [];
  for (const a of audit.attachments ?? []) {
    const put = (sha: string, extension: string) => {
      const bytes = parts.revisions(sha);
      const path = bytes ? `attachments/${a.id}-${sha.slice(0, 16)}.${extension}` : null;
      if (path && bytes) files.set(path, bytes);
      return path;
    };
    const path = put(a.sha256, a.format === 'pdf' ? 'pdf' : 'bin');
    const signaturePath = a.signatureSha256 ? put(a.signatureSha256, 'p7s') : null;
    attachments.push({
      id: a.id,
      path,
      sha256: a.sha256,
      signaturePath,
      signatureSha256: a.signatureSha256,
    });
  }
  // Exactly as stored: one canonical JSON text per line, in a JSON array.
  files.set(PATHS.events, utf8(`[\n${parts.logTexts.join(',\n')}\n]\n`));
  files.set(PATHS.head, json(parts.head));
  files.set(PATHS.trustAnchors, utf8(parts.trustPem));
  files.set(PATHS.currentCrl, parts.crl);
  files.set(PATHS.reportJson, json(audit));
  const title = `Kết quả kiểm tra văn bản ${parts.document.symbol ?? parts.documentId}`;
  files.set(PATHS.reportHtml, utf8(auditHtml(audit, title)));
  files.set(PATHS.treeHead, json(parts.treeHead));
  const packaged: PackagedProof[] = parts.proofs.map((p) => ({
    seq: p.seq,
    eventHash: p.eventHash,
    leafIndex: p.leafIndex,
    treeSize: p.treeSize,
    path: p.path,
  }));
  files.set(PATHS.proofs, json(packaged));

  const now = parts.now ?? new Date();
  const manifest: Manifest = ManifestSchema.parse({
    format: EVIDENCE_FORMAT,
    documentId: parts.documentId,
    createdAt: now.toISOString(),
    document: parts.document,
    head: parts.head,
    ...(parts.share ? { share: parts.share } : {}),
    currentSha256: parts.currentSha256,
    revisions,
    ...(attachments.length > 0 ? { attachments } : {}),
    files: [...files.entries()]
      .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  });
  const manifestBytes = json(manifest);
  const signature = await signBytes(parts.signer, manifestBytes);
  files.set(PATHS.manifest, manifestBytes);
  files.set(
    PATHS.manifestSignature,
    json({
      algorithm: parts.signer.algorithm === 'ECDSA_SHA_256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption',
      value: Buffer.from(signature).toString('base64'),
      keyId: parts.signer.keyId,
      certificates: parts.chain.map((c) => Buffer.from(c).toString('base64')),
    }),
  );
  return zipSync(
    Object.fromEntries(
      [...files.entries()].map(([path, bytes]) => [
        path,
        [bytes, { level: path.endsWith('.pdf') || path.endsWith('.crl') ? 0 : 6, mtime: now }],
      ]),
    ),
  );
}
