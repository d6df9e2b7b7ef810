import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditDocument } from '../lambdas/core/audit/audit-document';
import type { TransparencyEntry } from '../lambdas/core/audit/checks';
import { verifyEvidence } from '../lambdas/core/audit/evidence-check';
import { packEvidence } from '../lambdas/core/audit/evidence-package';
import type { EventDraft } from '../lambdas/core/domain/events';
import { canonicalize } from '../lambdas/core/log/canonical-json';
import { appendAfter } from '../lambdas/core/log/chain';
import { addValidationData } from '../lambdas/core/pdf/ltv';
import { signPdf } from '../lambdas/core/pdf/sign';
import { addIssueFields, stampIssueNumber } from '../lambdas/core/pdf/stamp';
import { verifyPdf } from '../lambdas/core/pdf/verify';
import { pemEncode } from '../lambdas/core/pki/asn1';
import {
  consistencyProof,
  inclusionProof,
  MemoryTree,
  sha256,
  toHex,
  verifyInclusion,
} from '../lambdas/core/transparency/merkle';
import { type InclusionProof, signTreeHead } from '../lambdas/core/transparency/tree-head';
import { DATE_BOX, draftDecision, NUMBER_BOX } from '../test/fixtures/documents';
import { cityPki } from '../test/support/pki-fixtures';
import { type Benchmark, percentiles, row, timed } from './harness';

/*
 * Audits: (1) checking the evidence package of a big document (10 signatures: nine leaders and the seal,
 * each B-LT; sent to 150 organisations) offline, against poppler's pdfsig on the final PDF and against
 * merely hashing the ZIP; (2) transparency proofs at 1,000 and at 1,000,000 events: size and time must grow
 * like log2 n (ratio ≈ 20/10 = 2), not like n.
 */

const SIGNATURES = 10;
const DELIVERIES = 150;

async function bigDocument() {
  const pki = await cityPki();
  const crl = await pki.issuing.createCrl({
    registry: pki.emptyRegistry,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
    crlNumber: 1n,
  });
  const tsa = pki.tsa.provider();
  const draft = await addIssueFields(await draftDecision(3), {
    number: { page: 0, ...NUMBER_BOX },
    date: { page: 0, ...DATE_BOX },
  });
  const versions: Uint8Array[] = [draft];
  let pdf = draft;
  const signedAt = Date.now() - 3_600_000;
  for (let i = 0; i < SIGNATURES - 1; i++) {
    const official = await pki.issue('official', `Lãnh đạo số ${i + 1}`);
    pdf = await signPdf({
      pdf,
      signer: official.signer,
      certificateChain: official.chain,
      revocation: 'checked-by-caller',
      timestamp: tsa,
      reason: 'Ký duyệt',
      signingTime: new Date(signedAt + i * 1000),
      capacity: 'KT.',
      kind: 'personal',
      fieldName: `leader-${i + 1}`,
    });
    pdf = await addValidationData({ pdf, crls: [crl] });
    versions.push(pdf);
  }
  const stamped = await stampIssueNumber(pdf, {
    number: { text: 'Số: 15/QĐ-UBND', size: 13, align: 'center' },
    date: { text: 'Hà Nội, ngày 05 tháng 01 năm 2026', size: 13, align: 'center' },
  });
  const seal = pki.officials.cityPeoplesCommittee;
  pdf = await signPdf({
    pdf: stamped,
    signer: seal.signer,
    certificateChain: seal.chain,
    revocation: 'checked-by-caller',
    timestamp: tsa,
    reason: 'Phát hành văn bản',
    signingTime: new Date(signedAt + SIGNATURES * 1000),
    kind: 'organisation',
    fieldName: 'seal',
  });
  pdf = await addValidationData({ pdf, crls: [crl] });
  versions.push(pdf);
  return { pki, crl, versions };
}

const shaHex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The log of such a document: drafted, approved, nine signatures, issued, sent, 150 arrivals. */
function circulationLog(documentId: string, versions: readonly Uint8Array[]): string[] {
  const at = (i: number) => new Date(Date.UTC(2026, 0, 5, 1, 0, i)).toISOString();
  const city = 'ubnd-hanoi';
  const actor = (userId: string, role: 'specialist' | 'leader' | 'clerk', orgId = city) => ({
    userId,
    orgId,
    role,
  });
  const sha = versions.map(shaHex);
  const recipients = Array.from({ length: DELIVERIES }, (_, i) => ({
    orgId: `phuong-so-${i + 1}`,
    purpose: 'action' as const,
  }));
  const base = (
    i: number,
    userId: string,
    role: 'specialist' | 'leader' | 'clerk',
    documentSha256: string,
  ) => ({
    documentId,
    at: at(i),
    actor: actor(userId, role),
    orgId: city,
    documentSha256,
  });
  const drafts: EventDraft[] = [
    {
      ...base(0, 'city-specialist', 'specialist', sha[0] as string),
      type: 'created',
      payload: {
        typeId: 'quyet-dinh',
        subject: 'Về việc kiểm tra hiệu năng',
        urgency: 'normal',
        recipientTargets: [],
        recipients: [],
        drafterId: 'city-specialist',
      },
    },
    { ...base(1, 'city-specialist', 'specialist', sha[0] as string), type: 'submitted', payload: {} },
    {
      ...base(2, 'city-chairman', 'leader', sha[0] as string),
      type: 'approved',
      payload: { approval: { by: 'city-chairman', name: 'Chủ tịch', title: 'Chủ tịch', at: at(2) } },
    },
    ...Array.from(
      { length: SIGNATURES - 1 },
      (_, i): EventDraft => ({
        ...base(3 + i, `leader-${i + 1}`, 'leader', sha[i + 1] as string),
        type: 'signed',
        payload: {
          signature: {
            kind: 'person',
            signerId: `leader-${i + 1}`,
            signerName: `Lãnh đạo số ${i + 1}`,
            signerTitle: 'Phó Chủ tịch',
            signerOrgId: city,
            capacity: { kind: 'KT' },
            lines: ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
            at: at(3 + i),
            documentSha256: sha[i + 1] as string,
          },
        },
      }),
    ),
    {
      ...base(20, 'city-clerk', 'clerk', sha[SIGNATURES] as string),
      type: 'issued',
      payload: {
        number: 15,
        notation: 'QĐ-UBND',
        symbol: '15/QĐ-UBND',
        issuedOn: '2026-01-05',
        dateLine: 'Hà Nội, ngày 05 tháng 01 năm 2026',
        seriesKey: 'ubnd-hanoi#2026',
        signature: {
          kind: 'organisation',
          orgId: city,
          appliedBy: 'city-clerk',
          at: at(20),
          documentSha256: sha[SIGNATURES] as string,
        },
      },
    },
    { ...base(21, 'city-clerk', 'clerk', sha[SIGNATURES] as string), type: 'sent', payload: { recipients } },
    ...recipients.map(
      (r, i): EventDraft => ({
        ...base(22 + i, 'city-clerk', 'clerk', sha[SIGNATURES] as string),
        orgId: r.orgId,
        type: 'arrived',
        payload: {
          senderOrgId: city,
          purpose: 'action',
          typeId: 'quyet-dinh',
          subject: 'Về việc kiểm tra hiệu năng',
          symbol: '15/QĐ-UBND',
          issuedOn: '2026-01-05',
          urgency: 'normal',
        },
      }),
    ),
  ];
  return appendAfter(undefined, drafts).map((e) => canonicalize(e));
}

async function evidenceBenchmark() {
  const { pki, crl, versions } = await bigDocument();
  const documentId = 'bench-document';
  const logTexts = circulationLog(documentId, versions);
  const events = logTexts.map((t) => JSON.parse(t) as { seq: number; hash: string });
  const last = events.at(-1) as { seq: number; hash: string };

  // The global log: this document's events among 5,000 others.
  const tree = new MemoryTree();
  for (let i = 0; i < 2_000; i++) tree.append(sha256(new TextEncoder().encode(`other ${i}`)));
  const leafOf = new Map<number, number>();
  for (const e of events) leafOf.set(e.seq, tree.append(Buffer.from(e.hash, 'hex')));
  for (let i = 0; i < 3_000; i++) tree.append(sha256(new TextEncoder().encode(`later ${i}`)));
  const logIdentity = await pki.issue('seal', 'docflow Transparency Log (bench)');
  const head = await signTreeHead(
    {
      log: 'docflow/bench',
      treeSize: tree.size,
      rootHash: toHex(tree.root()),
      timestamp: new Date().toISOString(),
    },
    logIdentity.signer,
    logIdentity.chain,
  );
  const proofs: InclusionProof[] = events.map((e) => {
    const leafIndex = leafOf.get(e.seq) as number;
    return {
      kind: 'inclusion',
      documentId,
      seq: e.seq,
      eventHash: e.hash,
      leafIndex,
      treeSize: tree.size,
      path: inclusionProof(tree, leafIndex, tree.size).map(toHex),
      treeHead: head,
    };
  });
  const bySha = new Map(versions.map((v) => [shaHex(v), v]));
  const entries = new Map<number, TransparencyEntry>(
    proofs.map((p) => [p.seq, { hash: p.eventHash, leafIndex: p.leafIndex, proof: p }]),
  );
  const audit = await auditDocument({
    documentId,
    events: logTexts.map((t) => JSON.parse(t) as unknown),
    anchor: last,
    revisions: (sha) => bySha.get(sha),
    currentSha256: shaHex(versions.at(-1) as Uint8Array),
    trust: pki.trust,
    crls: [crl],
    transparency: { entries, head },
  });
  if (audit.verdict !== 'valid') throw new Error(`bench document does not verify:\n${audit.summary.en}`);
  const zip = await packEvidence({
    documentId,
    document: {
      symbol: '15/QĐ-UBND',
      subject: 'Về việc kiểm tra hiệu năng',
      orgId: 'ubnd-hanoi',
      state: 'SENT',
    },
    head: last,
    currentSha256: shaHex(versions.at(-1) as Uint8Array),
    logTexts,
    revisions: (sha) => bySha.get(sha),
    audit,
    trustPem: pemEncode('CERTIFICATE', pki.root.certificate),
    crl,
    treeHead: head,
    proofs,
    signer: logIdentity.signer,
    chain: logIdentity.chain,
  });

  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { ms, result } = await timed(() => verifyEvidence(zip, pki.trust));
    if (!result.ok) throw new Error(`package does not verify:\n${result.summary.en}`);
    runs.push(ms);
  }
  const finalOnly: number[] = [];
  for (let i = 0; i < 3; i++)
    finalOnly.push(
      (await timed(() => verifyPdf(versions.at(-1) as Uint8Array, { trust: pki.trust, crls: [crl] }))).ms,
    );
  const hashRuns: number[] = [];
  for (let i = 0; i < 20; i++) hashRuns.push((await timed(async () => shaHex(zip))).ms);

  const dir = await mkdtemp(join(tmpdir(), 'docflow-bench-audit-'));
  const finalPath = join(dir, 'final.pdf');
  await writeFile(finalPath, versions.at(-1) as Uint8Array);
  const pdfsigRuns: number[] = [];
  let pdfsigSignatures = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const out = spawnSync('pdfsig', [finalPath], { encoding: 'utf8' });
    pdfsigRuns.push(performance.now() - started);
    pdfsigSignatures = (out.stdout.match(/^Signature #\d+/gm) ?? []).length;
  }
  await rm(dir, { recursive: true, force: true });
  const ours = percentiles(runs).p50;
  const pdfsig = percentiles(pdfsigRuns).p50;
  const hashing = percentiles(hashRuns).p50;
  const signatureChecks = audit.revisions.reduce((n, r) => n + (r.report?.signatures.length ?? 0), 0);
  return {
    rows: [
      row('verify-evidence (whole package)', ours, 'ms', {
        reference: pdfsig,
        referenceLabel: `pdfsig, final PDF only (${pdfsigSignatures} signatures)`,
        target: '≤ 10 s',
        ok: ours <= 10_000,
      }),
      row('verify-evidence per signature check', ours / signatureChecks, 'ms', {
        reference: pdfsig / Math.max(1, pdfsigSignatures),
        referenceLabel: 'pdfsig per signature',
      }),
      row('of which verifyPdf of the final PDF', percentiles(finalOnly).p50, 'ms', {
        reference: ours,
        referenceLabel: 'verify-evidence',
      }),
      row('hashing the ZIP (SHA-256)', hashing, 'ms', { reference: ours, referenceLabel: 'verify-evidence' }),
      row('package size', zip.length / 1024, 'KiB'),
    ],
    notes: [
      `Package: ${versions.length} PDF revisions (draft, ${SIGNATURES - 1} personal signatures, the seal), ${events.length} events (${DELIVERIES} deliveries), ${signatureChecks} signatures verified (intermediate revisions are intact prefixes of the final one, so their signatures are verified there, over exactly their bytes), ${events.length} inclusion proofs in a log of ${tree.size}.`,
      'verify-evidence also runs the change analysis of every signature (the bulk of verifyPdf), checks chains and CRLs at signing time, the prefix relation of all 11 revisions, the manifest and its signature, the log chain and 164 inclusion proofs; pdfsig checks the signatures and chains of one file.',
    ],
  };
}

function proofBenchmark() {
  const sizes = [1_000, 1_000_000] as const;
  const tree = new MemoryTree();
  const built = performance.now();
  const measured: Record<
    number,
    {
      bytes: number;
      maxBytes: number;
      proveUs: number;
      verifyUs: number;
      consistencyBytes: number;
      operations: number;
    }
  > = {};
  let seed = 1;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const leaf = new Uint8Array(32);
  for (const size of sizes) {
    while (tree.size < size) {
      new DataView(leaf.buffer).setUint32(0, tree.size);
      tree.appendLeafHash(sha256(leaf));
    }
    const root = tree.root(size);
    const samples = 5_000;
    const indexes = Array.from({ length: samples }, () => Math.floor(random() * size));
    // Timed in batches (per-call timers would measure the timer): proofs first, then their verification.
    // Work per proof, counted: reads of stored hashes and hashes computed (a machine-independent measure).
    let operations = 0;
    const counting = {
      leafHash: (i: number) => {
        operations++;
        return tree.leafHash(i);
      },
      completeSubtree: (start: number, n: number) => {
        operations++;
        return tree.completeSubtree(start, n);
      },
      partialSubtree: (start: number, end: number) => tree.partialSubtree(start, end),
      rememberPartial: (start: number, end: number, hash: Uint8Array) => {
        operations++;
        tree.rememberPartial(start, end, hash);
      },
    };
    for (const index of indexes.slice(0, 500)) inclusionProof(counting, index, size);
    const operationsPerProof = operations / 500;
    let t = performance.now();
    const proofs = indexes.map((index) => inclusionProof(tree, index, size));
    const proveMs = performance.now() - t;
    const leaves = indexes.map((index) => tree.leafHash(index));
    t = performance.now();
    for (let i = 0; i < samples; i++) {
      if (
        !verifyInclusion(indexes[i] as number, size, leaves[i] as Uint8Array, proofs[i] as Uint8Array[], root)
      )
        throw new Error('proof failed');
    }
    const verifyMs = performance.now() - t;
    const bytes = proofs.reduce((n, p) => n + p.length * 32, 0);
    const maxBytes = Math.max(...proofs.map((p) => p.length * 32));
    const consistency = consistencyProof(tree, Math.floor(size / 3), size);
    measured[size] = {
      bytes: bytes / samples,
      maxBytes,
      proveUs: (proveMs / samples) * 1000,
      verifyUs: (verifyMs / samples) * 1000,
      consistencyBytes: consistency.length * 32,
      operations: operationsPerProof,
    };
  }
  const buildMs = performance.now() - built;
  const small = measured[1_000] as (typeof measured)[number];
  const large = measured[1_000_000] as (typeof measured)[number];
  const logRatio = Math.log2(1_000_000) / Math.log2(1_000);
  const sizeRatio = large.bytes / small.bytes;
  const timeRatio = large.proveUs / small.proveUs;
  return {
    rows: [
      row('inclusion proof size at 1M events (mean)', large.bytes, 'bytes', {
        reference: small.bytes,
        referenceLabel: '1k events',
        target: `ratio ≈ log2 ratio ${logRatio.toFixed(2)} (n ratio 1000)`,
        ok: sizeRatio <= logRatio * 1.25,
      }),
      row('inclusion proof size at 1M events (max)', large.maxBytes, 'bytes', {
        reference: small.maxBytes,
        referenceLabel: '1k events',
        target: `≤ 32 × ⌈log2 n⌉ = ${32 * Math.ceil(Math.log2(1_000_000))}`,
        ok: large.maxBytes <= 32 * Math.ceil(Math.log2(1_000_000)),
      }),
      row('inclusion proof work at 1M events (hash reads + hashes)', large.operations, 'ops', {
        reference: small.operations,
        referenceLabel: '1k events',
        target: `ratio ≤ 1.25 × log2 ratio (${(1.25 * logRatio).toFixed(2)})`,
        ok: large.operations / small.operations <= 1.25 * logRatio,
      }),
      row('inclusion proof time at 1M events', large.proveUs, 'µs', {
        reference: small.proveUs,
        referenceLabel: '1k events',
        target: `ratio ≤ 3 × log2 ratio (${(3 * logRatio).toFixed(1)}); linear would be 1000`,
        ok: timeRatio <= 3 * logRatio,
      }),
      row('inclusion proof verification at 1M events', large.verifyUs, 'µs', {
        reference: small.verifyUs,
        referenceLabel: '1k events',
        target: `ratio ≤ 2 × log2 ratio (${(2 * logRatio).toFixed(1)})`,
        ok: large.verifyUs / small.verifyUs <= 2 * logRatio,
      }),
      row('consistency proof size (n/3 → n) at 1M', large.consistencyBytes, 'bytes', {
        reference: small.consistencyBytes,
        referenceLabel: '1k events',
      }),
      row('building the 1M-leaf tree in memory', buildMs / 1000, 's'),
    ],
    notes: [
      `log2(1M) / log2(1k) = ${logRatio.toFixed(2)}; measured size ratio ${sizeRatio.toFixed(2)}, work ratio ${(large.operations / small.operations).toFixed(2)}, time ratio ${timeRatio.toFixed(2)} (n grew 1000×). The work count is the machine-independent measure and is logarithmic; times are the fastest of five rounds (the machine is shared), and may grow a little faster than the work because the 1M tree (≈ 64 MB of hashes) outgrows the CPU caches.`,
      'The tree keeps every complete subtree hash, so a proof costs O(log n) hashes; the stored log does the same with 1,024-leaf page hashes.',
    ],
  };
}

export const auditBenchmark: Benchmark = {
  name: 'audit',
  async run() {
    const evidence = await evidenceBenchmark();
    const proofs = proofBenchmark();
    return {
      name: 'audit',
      description:
        'Offline check of the evidence package of a document with 10 signatures and 150 deliveries, and RFC 9162 inclusion proofs at 1k and 1M events.',
      rows: [...evidence.rows, ...proofs.rows],
      notes: [...evidence.notes, ...proofs.notes],
    };
  },
};
