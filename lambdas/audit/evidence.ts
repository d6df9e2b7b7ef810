import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { zipSync } from 'fflate';
import { s3Client } from '../adapters/aws-clients';
import { readDocument } from '../adapters/document-store';
import type { Caller } from '../core/domain/caller';
import { DomainError } from '../core/errors';
import { messageText } from '../core/i18n/messages';
import { signBytes } from '../core/pki/algorithms';
import { pemEncode } from '../core/pki/asn1';
import type { DigestSigner } from '../core/ports/signer';
import type { InclusionProof, SignedTreeHead } from '../core/transparency/tree-head';
import { buckets, resourceName } from '../deployment/resources';
import { auditDocument, type DocumentAudit, type TransparencyEntry } from './audit-core';
import { accessOf, auditInput, loadStoredDocument } from './document-audit';
import {
  EVIDENCE_FORMAT,
  type Manifest,
  ManifestSchema,
  PATHS,
  type PackagedProof,
  README,
} from './evidence-format';
import { validationData } from './pdf-dss';
import { auditHtml } from './report-html';
import { ensureSequenced, inclusionProofs } from './transparency-log';
import { logSigner } from './transparency-signer';

/*
 * `GET /api/documents/{id}/evidence`: everything an auditor needs to prove, years later and offline, who
 * signed what and how the document travelled (see evidence-format.ts for the layout).
 */

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
const json = (value: unknown) => utf8(`${JSON.stringify(value, null, 2)}\n`);
const pad2 = (n: number) => String(n).padStart(2, '0');

export interface EvidencePackage {
  readonly zip: Uint8Array;
  readonly fileName: string;
  readonly sha256: string;
}

export async function buildEvidence(caller: Caller, id: string): Promise<EvidencePackage> {
  const snapshot = await readDocument(id);
  // A recipient sees only its own part of the log; the package holds all of it.
  if (accessOf(caller, snapshot) === 'recipient')
    throw new DomainError('forbidden', 403, {
      reason: messageText('reason_evidence_package'),
    });
  if (snapshot.head) await ensureSequenced(id, snapshot.head);
  const stored = await loadStoredDocument(id, snapshot);
  const seqs = stored.events
    .map((e) => (e as { seq?: unknown } | null)?.seq)
    .filter((s): s is number => typeof s === 'number');
  const { head, proofs } = await inclusionProofs(seqs.map((seq) => ({ documentId: id, seq })));
  const entries = new Map<number, TransparencyEntry>();
  for (const p of proofs) if (p) entries.set(p.seq, { hash: p.eventHash, leafIndex: p.leafIndex, proof: p });
  const audit = await auditDocument(auditInput(id, stored, { entries, head }));

  const doc = snapshot.document;
  const { signer, chain } = await logSigner();
  const zip = await packEvidence({
    documentId: id,
    document: {
      symbol: doc?.symbol ?? null,
      subject: doc?.subject ?? null,
      orgId: doc?.orgId ?? null,
      state: doc?.state ?? null,
    },
    head: snapshot.head ?? null,
    currentSha256: doc?.documentSha256 ?? null,
    logTexts: stored.items.map((i) => i.text),
    revisions: (sha) => stored.revisions.get(sha),
    audit,
    trustPem: stored.trustPem,
    crl: stored.crl,
    treeHead: head,
    proofs: proofs.flatMap((p) => (p ? [p] : [])),
    signer,
    chain,
  });
  const name = (doc?.symbol ?? id).replace(/[^\w.-]+/g, '_');
  return { zip, fileName: `evidence-${name}.zip`, sha256: sha256Hex(zip) };
}

export interface EvidenceParts {
  readonly documentId: string;
  readonly document: Manifest['document'];
  readonly head: { readonly seq: number; readonly hash: string } | null;
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
    currentSha256: parts.currentSha256,
    revisions,
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

/**
 * Puts a package where a short-lived URL can fetch it: the intake bucket's `evidence/` prefix, which expires
 * after a day (lib/constructs/document-buckets.ts). A package is derived from the archive and can be made
 * again at any time, so it has no place under the archive's Object Lock, which would keep every copy for
 * the retention period.
 */
export async function storeEvidence(id: string, pkg: EvidencePackage): Promise<string> {
  const Bucket = resourceName(buckets.intake);
  const Key = `evidence/${id}/${pkg.sha256}.zip`;
  await s3Client().send(
    new PutObjectCommand({
      Bucket,
      Key,
      Body: Buffer.from(pkg.zip),
      ContentType: 'application/zip',
      // S3 checks the body it stores against it.
      ContentMD5: createHash('md5').update(pkg.zip).digest('base64'),
      Metadata: { sha256: pkg.sha256 },
    }),
  );
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket,
      Key,
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: `attachment; filename="${pkg.fileName}"`,
    }),
    { expiresIn: 300 },
  );
}
