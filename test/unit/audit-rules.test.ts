import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditInput, auditDocument } from '../../lambdas/core/audit/audit-document';
import type { TransparencyEntry } from '../../lambdas/core/audit/checks';
import type { DocumentAudit } from '../../lambdas/core/audit/report';
import { planAuditSearch } from '../../lambdas/core/audit/search';
import { sha256Hex } from '../../lambdas/core/io/hash';
import type { CirculationEvent } from '../../lambdas/core/log/event';
import { fromHex, inclusionProof, MemoryTree, toHex } from '../../lambdas/core/transparency/merkle';
import {
  type InclusionProof,
  type SignedTreeHead,
  signTreeHead,
} from '../../lambdas/core/transparency/tree-head';
import {
  type AuditedDocument,
  auditedDocument,
  circulationLog,
  DOCUMENT_ID,
} from '../fixtures/audited-document';
import { directory } from './domain-fixtures';

/*
 * The audit rules (core/audit) on a document and its log held in memory: the intact document verifies, and
 * each kind of tampering is named, with its problems in the order the checks run (the log chain, each
 * revision's file and signatures, the history of versions, log/file agreement, the transparency log).
 */

let doc: AuditedDocument;
let events: CirculationEvent[];

beforeAll(async () => {
  doc = await auditedDocument();
  events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
}, 120_000);

const NOW = new Date('2026-01-06T03:00:00Z');

function input(overrides: Partial<AuditInput> = {}, files?: Map<string, Uint8Array>): AuditInput {
  const byName =
    files ?? new Map([doc.draft, doc.personal, doc.sealed].map((bytes) => [sha256Hex(bytes), bytes]));
  const last = events.at(-1) as CirculationEvent;
  return {
    documentId: DOCUMENT_ID,
    events,
    anchor: { seq: last.seq, hash: last.hash },
    revisions: (sha) => byName.get(sha),
    currentSha256: sha256Hex(doc.sealed),
    trust: doc.pki.trust,
    crls: [doc.crl],
    now: NOW,
    ...overrides,
  };
}

const codes = (audit: DocumentAudit) => audit.problems.map((p) => p.code);

/** Every event's entry in a transparency log holding just this document's events, with proofs. */
async function transparencyOf(
  logged: readonly CirculationEvent[],
): Promise<{ entries: Map<number, TransparencyEntry>; head: SignedTreeHead; proofs: InclusionProof[] }> {
  const tree = new MemoryTree();
  for (const e of logged) tree.append(fromHex(e.hash));
  const head = await signTreeHead(
    {
      log: 'docflow/test',
      treeSize: tree.size,
      rootHash: toHex(tree.root(tree.size)),
      timestamp: NOW.toISOString(),
    },
    doc.logKey.signer,
    doc.logKey.chain,
  );
  const proofs = logged.map(
    (e, i): InclusionProof => ({
      kind: 'inclusion',
      documentId: DOCUMENT_ID,
      seq: e.seq,
      eventHash: e.hash,
      leafIndex: i,
      treeSize: tree.size,
      path: inclusionProof(tree, i, tree.size).map(toHex),
      treeHead: head,
    }),
  );
  return {
    entries: new Map(proofs.map((p) => [p.seq, { hash: p.eventHash, leafIndex: p.leafIndex, proof: p }])),
    head,
    proofs,
  };
}

describe('the audit of an intact document', () => {
  it('is valid: an intact chain, three versions, each signed one extending the one before', async () => {
    const audit = await auditDocument(input());
    expect(audit.problems).toEqual([]);
    expect(audit.verdict).toBe('valid');
    expect(audit.checkedAt).toBe(NOW.toISOString());
    expect(audit.chain).toMatchObject({ ok: true, length: 8, head: { seq: 8 } });
    expect(audit.revisions.map((r) => [r.index, r.role, r.seqs, r.file])).toEqual([
      [1, 'draft', [1, 2, 3], 'ok'],
      [2, 'signed', [4], 'ok'],
      [3, 'issued', [5, 6, 7, 8], 'ok'],
    ]);
    // The signed version is an intact prefix of the issued one: its signature is checked there.
    expect(audit.revisions[1]).toMatchObject({ verifiedWithin: 3, report: null, extendsPrevious: true });
    expect(audit.revisions[2]?.report?.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid']);
    expect(audit.revisions[2]?.extendsPrevious).toBe(true);
    expect(audit.transparency).toBeNull();
    expect(audit.summary.en).toMatch(
      /^Document doc-audited: VALID\. Log of 8 events intact; 3 file revisions/,
    );
    expect(audit.summary.vi).toMatch(/^Văn bản doc-audited: HỢP LỆ\./);
  });

  it('with every event in the transparency log, and proofs to a signed head', async () => {
    const { entries, head } = await transparencyOf(events);
    const audit = await auditDocument(input({ transparency: { entries, head } }));
    expect(audit.problems).toEqual([]);
    expect(audit.transparency).toEqual({
      events: 8,
      included: 8,
      head: { treeSize: 8, rootHash: head.rootHash, timestamp: head.timestamp },
    });
  });
});

describe('tampering, and what the audit names', () => {
  it('a byte changed in a stored version', async () => {
    const flipped = new Uint8Array(doc.sealed);
    const at = flipped.length - 200;
    flipped[at] = (flipped[at] as number) ^ 0xff;
    const files = new Map([
      [sha256Hex(doc.draft), doc.draft],
      [sha256Hex(doc.personal), doc.personal],
      [sha256Hex(doc.sealed), flipped],
    ]);
    const audit = await auditDocument(input({}, files));
    expect(audit.verdict).toBe('invalid');
    expect(codes(audit)[0]).toBe('revision-altered');
    expect(audit.revisions[2]).toMatchObject({ file: 'altered', actualSha256: sha256Hex(flipped) });
    expect(audit.problems[0]?.en).toMatch(/^Revision 3 \(issued\) was changed after it was stored/);
    // Not a prefix of the final version any more, the signed version is verified on its own.
    expect(audit.revisions[1]?.verifiedWithin).toBeNull();
  });

  it('a version missing from the archive', async () => {
    const files = new Map([
      [sha256Hex(doc.personal), doc.personal],
      [sha256Hex(doc.sealed), doc.sealed],
    ]);
    const audit = await auditDocument(input({}, files));
    expect(codes(audit)).toEqual(['revision-missing']);
    expect(audit.problems[0]?.en).toBe(
      `Revision 1 (draft), SHA-256 ${sha256Hex(doc.draft).slice(0, 12)}…, named by events 1, 2, 3, is missing.`,
    );
    // With no draft to compare with, the signed version's history is not judged.
    expect(audit.revisions[1]?.extendsPrevious).toBeNull();
  });

  it('a version that is not a PDF', async () => {
    const junk = new TextEncoder().encode('not a PDF at all');
    events = circulationLog({ draft: doc.draft, signed: junk, issued: doc.sealed });
    try {
      const files = new Map([doc.draft, junk, doc.sealed].map((b) => [sha256Hex(b), b]));
      const audit = await auditDocument(input({}, files));
      expect(codes(audit)).toEqual(['revision-unreadable']);
      expect(audit.revisions[1]).toMatchObject({ file: 'unreadable', report: null, extendsPrevious: null });
      // The issued version is compared with the last readable one: the draft, which it extends.
      expect(audit.revisions[2]?.extendsPrevious).toBe(true);
    } finally {
      events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
    }
  });

  it('a signed version that does not extend the one before (history rewritten)', async () => {
    events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.rewritten });
    try {
      const files = new Map([doc.draft, doc.personal, doc.rewritten].map((b) => [sha256Hex(b), b]));
      const audit = await auditDocument(input({ currentSha256: sha256Hex(doc.rewritten) }, files));
      expect(codes(audit)).toEqual(['revision-not-incremental', 'signature-count-mismatch']);
      expect(audit.revisions.map((r) => r.extendsPrevious)).toEqual([null, true, false]);
      expect(audit.problems[1]?.en).toBe(
        'The log records 2 signings, the last revision carries 1 signatures.',
      );
    } finally {
      events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
    }
  });

  it('a signature more than the log records', async () => {
    events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.acknowledged });
    try {
      const files = new Map([doc.draft, doc.personal, doc.acknowledged].map((b) => [sha256Hex(b), b]));
      const audit = await auditDocument(input({ currentSha256: sha256Hex(doc.acknowledged) }, files));
      expect(codes(audit)).toEqual(['signature-count-mismatch']);
    } finally {
      events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
    }
  });

  it('a signed version with no signature', async () => {
    events = circulationLog({ draft: doc.draft, signed: doc.draft, issued: doc.sealed });
    try {
      const audit = await auditDocument(input());
      // The draft is named by the signing too: the same version, so still the draft, and not checked again.
      expect(audit.revisions.map((r) => r.role)).toEqual(['draft', 'issued']);
      expect(codes(audit)).toEqual([]);
    } finally {
      events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
    }
    // The last version carries no signature at all (a copy of the draft with a line appended).
    const unsigned = new Uint8Array([...doc.draft, ...new TextEncoder().encode('%unsigned\n')]);
    events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: unsigned });
    try {
      const files = new Map([doc.draft, doc.personal, unsigned].map((b) => [sha256Hex(b), b]));
      const audit = await auditDocument(input({ currentSha256: sha256Hex(unsigned) }, files));
      expect(codes(audit)).toEqual([
        'revision-unsigned',
        'revision-not-incremental',
        'signature-count-mismatch',
      ]);
      expect(audit.problems[0]?.en).toBe(
        'Revision 3 (issued) carries no signature, though the log records a signing.',
      );
    } finally {
      events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
    }
  });

  it('the current version is not the one the log ends with', async () => {
    const audit = await auditDocument(input({ currentSha256: sha256Hex(doc.personal) }));
    expect(codes(audit)).toEqual(['current-mismatch']);
    expect(audit.currentSha256).toBe(sha256Hex(doc.personal));
  });

  it('an event edited, deleted, or the log cut short', async () => {
    const edited = events.map((e) => (e.seq === 2 ? { ...e, at: '2026-01-05T02:00:00.000Z' } : e));
    const audit = await auditDocument(input({ events: edited }));
    expect(codes(audit)).toEqual(['log-hash-mismatch']);
    expect(audit.chain).toMatchObject({
      ok: false,
      atSeq: 2,
      problem: 'hash-mismatch',
      length: 8,
      head: null,
    });

    const deleted = await auditDocument(input({ events: events.filter((e) => e.seq !== 3) }));
    expect(codes(deleted)[0]).toMatch(/^log-/);
    expect(deleted.chain).toMatchObject({ ok: false, length: 7 });

    const cut = await auditDocument(input({ events: events.slice(0, 6) }));
    expect(codes(cut)[0]).toMatch(/^log-/);
  });

  it('events the transparency log lacks, or recorded with another hash', async () => {
    const { entries } = await transparencyOf(events);
    entries.delete(2);
    const five = entries.get(5) as TransparencyEntry;
    entries.set(5, { hash: '00'.repeat(32), leafIndex: five.leafIndex });
    const audit = await auditDocument(input({ transparency: { entries } }));
    expect(codes(audit)).toEqual(['transparency-missing', 'transparency-mismatch']);
    expect(audit.transparency).toEqual({ events: 8, included: 6, head: null });
  });

  it('proofs that do not lead to the signed head', async () => {
    const { entries, head } = await transparencyOf(events);
    const other = await transparencyOf(events.slice(0, 7));
    const seven = other.entries.get(7) as TransparencyEntry;
    entries.set(7, seven);
    const wrongPath = entries.get(3) as TransparencyEntry & { proof: InclusionProof };
    entries.set(3, { ...wrongPath, proof: { ...wrongPath.proof, path: wrongPath.proof.path.slice(1) } });
    const audit = await auditDocument(input({ transparency: { entries, head } }));
    expect(codes(audit)).toEqual(['transparency-proof-invalid', 'transparency-proof-invalid']);
    expect(audit.problems[0]?.en).toMatch(
      /^The inclusion proof of event 3 does not hold: the path from leaf 2/,
    );
    expect(audit.problems[1]?.en).toMatch(
      /^The inclusion proof of event 7 does not hold: the proof of event 7 is for another tree head/,
    );
    expect(audit.transparency?.included).toBe(6);
  });

  it('a tree head that is malformed, or signed by a key the roots do not certify', async () => {
    const { entries } = await transparencyOf(events);
    const malformed = await auditDocument(input({ transparency: { entries, head: { treeSize: 'eight' } } }));
    expect(codes(malformed)[0]).toBe('transparency-head-malformed');

    const stranger = await doc.pki.issue('seal', 'Someone else');
    const { head } = await transparencyOf(events);
    const forged = await signTreeHead(
      { log: head.log, treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp },
      stranger.signer,
      [stranger.certificate],
    );
    const audit = await auditDocument(input({ transparency: { entries, head: forged } }));
    expect(codes(audit)[0]).toBe('transparency-head-invalid');
  });
});

describe('the auditor search plan', () => {
  it('searches up to Hà Nội’s today: a document issued after 17:00 UTC is dated the next day there', () => {
    const plan = planAuditSearch({ orgId: 'ubnd-hanoi' }, directory, '2026-12-03T17:30:00.000Z');
    const hit = {
      documentId: 'd',
      orgId: 'ubnd-hanoi',
      number: 1,
      symbol: '01/QĐ-UBND',
      issuedOn: '2026-12-04',
      docType: null,
      subject: null,
      signer: null,
    };
    expect(plan.matches(hit)).toBe(true);
    expect(plan.matches({ ...hit, issuedOn: '2026-12-05' })).toBe(false);
  });
});
