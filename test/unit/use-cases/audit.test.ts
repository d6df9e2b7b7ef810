import { beforeEach, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../../lambdas/core/audit/evidence-check';
import type { Caller } from '../../../lambdas/core/domain/caller';
import type { EventDraft } from '../../../lambdas/core/domain/events';
import { outgoingRegisterEntry } from '../../../lambdas/core/domain/registers';
import { DomainError } from '../../../lambdas/core/errors';
import { sha256Hex } from '../../../lambdas/core/io/hash';
import { appendAfter } from '../../../lambdas/core/log/chain';
import type { CirculationEvent } from '../../../lambdas/core/log/event';
import { foldEvents } from '../../../lambdas/core/log/projection';
import { LEAVES_PER_PAGE } from '../../../lambdas/core/transparency/paged-tree';
import { verifyConsistencyProof, verifyInclusionProof } from '../../../lambdas/core/transparency/tree-head';
import { buildEvidence, publishEvidence } from '../../../lambdas/use-cases/audit/evidence';
import { searchDocuments } from '../../../lambdas/use-cases/audit/search';
import {
  appendLeaves,
  consistencyBetween,
  currentTreeHead,
  ensureSequenced,
  eventProof,
  inclusionProofs,
} from '../../../lambdas/use-cases/audit/transparency';
import { startVerification, verifyUploaded } from '../../../lambdas/use-cases/audit/uploaded';
import { verifyStoredDocument } from '../../../lambdas/use-cases/audit/verification';
import {
  type AuditedDocument,
  auditedDocument,
  circulationLog,
  DOCUMENT_ID,
} from '../../fixtures/audited-document';
import { directory, people } from '../domain-fixtures';
import { headOf, type MemoryAudit, memoryAudit } from './audit-fakes';

/*
 * The audit use cases on in-memory implementations of their ports: who may see what, what is read and
 * sequenced on the way, and the transparency log's appends (batches, concurrent appenders, retries on a
 * conflict), heads and proofs, which only the local stack reached before.
 */

const as = (actor: Caller['actor']): Caller => ({ actor, directory });
const sender = as(people.citySpecialist);
const recipient = as(people.wardClerk);
const auditor = as(people.auditor);
const outsider = as(people.director);

let doc: AuditedDocument;
let events: CirculationEvent[];
let memory: MemoryAudit;

/** A DomainError with this code and status. */
const refusal = (code: string, status: number) =>
  expect.objectContaining({ code, status, constructor: DomainError }) as unknown as Error;

function storeDocument(id: string, logged: readonly CirculationEvent[]): void {
  const { document, incoming } = foldEvents(logged);
  memory.documents.store(id, { head: headOf(logged), document, incoming }, logged);
}

/** The same log with every event from `seq` on rewritten, each hash recomputed: a chain that verifies. */
function rewrittenFrom(seq: number, logged: readonly CirculationEvent[]): CirculationEvent[] {
  const kept = logged.filter((e) => e.seq < seq);
  const drafts = logged
    .filter((e) => e.seq >= seq)
    .map(({ seq: _seq, prevHash: _prev, hash: _hash, ...draft }) => ({
      ...draft,
      at: draft.at.replace('2026', '2025'),
    }));
  return [...kept, ...appendAfter(headOf(kept), drafts as EventDraft[])];
}

beforeEach(async () => {
  doc = await auditedDocument();
  events = circulationLog({ draft: doc.draft, signed: doc.personal, issued: doc.sealed });
  memory = memoryAudit({ logKey: doc.logKey, root: doc.pki.root.certificate, crl: doc.crl, now: new Date() });
  storeDocument(DOCUMENT_ID, events);
  for (const version of [doc.draft, doc.personal, doc.sealed]) memory.files.putRevision(DOCUMENT_ID, version);
}, 120_000);

describe('verification of a stored document', () => {
  it('for the issuing organisation, a recipient and an auditor; sequences the events on the way', async () => {
    const audit = await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    expect(audit.problems).toEqual([]);
    expect(audit.verdict).toBe('valid');
    expect(audit.checkedAt).toBe(memory.ports.now().toISOString());
    expect(audit.transparency).toEqual({ events: 8, included: 8, head: null });
    expect(memory.transparency.leaves.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    expect((await verifyStoredDocument(memory.ports, recipient, DOCUMENT_ID)).verdict).toBe('valid');
    const whole = await verifyStoredDocument(memory.ports, auditor, DOCUMENT_ID);
    expect(whole.verdict).toBe('valid');
    expect(whole.share).toBeUndefined();
    // Sequenced once: the second and third audits found every leaf.
    expect(memory.transparency.appends.filter((a) => a.ok)).toHaveLength(1);
  });

  it('is a 404 for anyone else, as for a document that does not exist, and reads nothing more', async () => {
    await expect(verifyStoredDocument(memory.ports, outsider, DOCUMENT_ID)).rejects.toEqual(
      refusal('not_found', 404),
    );
    await expect(verifyStoredDocument(memory.ports, auditor, 'no-such-document')).rejects.toEqual(
      refusal('not_found', 404),
    );
    expect(memory.transparency.leaves).toEqual([]);
  });

  it('names a version gone from the archive', async () => {
    memory.files.revisions.delete(`${DOCUMENT_ID}/${sha256Hex(doc.draft)}`);
    const audit = await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    expect(audit.problems.map((p) => p.code)).toEqual(['revision-missing']);
    expect(audit.revisions[0]?.file).toBe('missing');
  });

  it('does not sequence a log whose chain does not verify', async () => {
    const edited = events.map((e) => (e.seq === 3 ? { ...e, at: '2020-01-01T00:00:00.000Z' } : e));
    memory.documents.store(
      DOCUMENT_ID,
      { ...(await memory.documents.read(DOCUMENT_ID)), head: headOf(events) },
      edited,
    );
    const audit = await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    expect(audit.problems.map((p) => p.code)).toEqual([
      'log-hash-mismatch',
      ...Array(8).fill('transparency-missing'),
    ]);
    expect(memory.transparency.leaves).toEqual([]);
  });
});

describe('a share of the log (core/domain/visibility.ts)', () => {
  it('is what a recipient verifies: the sender’s public steps and its own, not its co-recipient’s', async () => {
    const audit = await verifyStoredDocument(memory.ports, recipient, DOCUMENT_ID);
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({
      verdict: 'valid',
      share: { orgId: 'phuong-ba-dinh' },
      chain: { ok: true, length: 4 },
      transparency: { events: 4, included: 4 },
    });
    // The signed and the issued versions; the draft is the sender's.
    expect(audit.revisions.map((r) => r.role)).toEqual(['signed', 'issued']);
    expect(audit.revisions.flatMap((r) => r.seqs)).toEqual([4, 5, 6, 7]);
    expect(JSON.stringify(audit)).not.toContain(events[7]?.hash);
  });

  it('is what the sender verifies: its own steps and each recipient’s arrival', async () => {
    const audit = await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    expect(audit).toMatchObject({ verdict: 'valid', share: { orgId: 'ubnd-hanoi' }, chain: { length: 8 } });
  });

  it('says when the part of the log the caller does not see fails its check, and not where', async () => {
    await verifyStoredDocument(memory.ports, auditor, DOCUMENT_ID);
    const edited = events.map((e) => (e.seq === 2 ? { ...e, at: '2020-01-01T00:00:00.000Z' } : e));
    memory.documents.store(DOCUMENT_ID, await memory.documents.read(DOCUMENT_ID), edited);
    const audit = await verifyStoredDocument(memory.ports, recipient, DOCUMENT_ID);
    expect(audit.verdict).toBe('invalid');
    expect(audit.problems.map((p) => p.code)).toEqual(['log-broken-elsewhere']);
    expect(audit.summary.en).toContain('NOT VALID');
    expect((await verifyStoredDocument(memory.ports, auditor, DOCUMENT_ID)).problems[0]).toMatchObject({
      code: 'log-hash-mismatch',
    });
  });

  it('bounds the transparency proofs: another organisation’s event is not there, like one that never was', async () => {
    const own = await eventProof(memory.ports, recipient, DOCUMENT_ID, 7);
    expect(own).toMatchObject({ seq: 7, eventHash: events[6]?.hash });
    expect(await eventProof(memory.ports, recipient, DOCUMENT_ID, 4)).toMatchObject({ seq: 4 });
    for (const seq of [2, 8, 9])
      await expect(eventProof(memory.ports, recipient, DOCUMENT_ID, seq)).rejects.toEqual(
        refusal('not_found', 404),
      );
    expect(await eventProof(memory.ports, auditor, DOCUMENT_ID, 8)).toMatchObject({ seq: 8 });
    expect(await eventProof(memory.ports, sender, DOCUMENT_ID, 8)).toMatchObject({ seq: 8 });
  });

  it('is no longer served to a recipient once the sender recalled the document (410, with the reason)', async () => {
    const stored = await memory.documents.read(DOCUMENT_ID);
    const document = stored.document && {
      ...stored.document,
      state: 'RECALLED' as const,
      recallReason: 'Sai số liệu',
    };
    memory.documents.store(DOCUMENT_ID, { ...stored, document }, events);
    await expect(verifyStoredDocument(memory.ports, recipient, DOCUMENT_ID)).rejects.toEqual(
      refusal('document_recalled', 410),
    );
    await expect(buildEvidence(memory.ports, recipient, DOCUMENT_ID)).rejects.toEqual(
      refusal('document_recalled', 410),
    );
    expect((await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID)).documentId).toBe(DOCUMENT_ID);
  });
});

describe('evidence packages', () => {
  it('hold everything an offline check needs, signed by the transparency key', async () => {
    const pkg = await buildEvidence(memory.ports, sender, DOCUMENT_ID);
    expect(pkg.fileName).toBe('evidence-15_QĐ-UBND.zip');
    expect(pkg.sha256).toBe(sha256Hex(pkg.zip));
    const check = await verifyEvidence(pkg.zip, doc.pki.trust);
    expect(check.problems).toEqual([]);
    expect(check).toMatchObject({ ok: true, documentId: DOCUMENT_ID });
    expect(check.audit?.transparency).toMatchObject({ events: 8, included: 8, head: { treeSize: 8 } });
    // The head the proofs lead to was published.
    expect([...memory.transparency.heads.keys()]).toEqual([8]);
  });

  it('hold a recipient’s share only, which checks offline on its own (each event against its proof)', async () => {
    const pkg = await buildEvidence(memory.ports, recipient, DOCUMENT_ID);
    const check = await verifyEvidence(pkg.zip, doc.pki.trust);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.audit).toMatchObject({ share: { orgId: 'phuong-ba-dinh' }, chain: { length: 4 } });
    expect(check.audit?.transparency).toMatchObject({ events: 4, included: 4 });
    const zip = Buffer.from(pkg.zip).toString('latin1');
    expect(zip).not.toContain(events[7]?.hash);
    expect(zip).not.toContain('"submitted"');
    // The auditor's package still holds everything.
    const whole = await verifyEvidence(
      (await buildEvidence(memory.ports, auditor, DOCUMENT_ID)).zip,
      doc.pki.trust,
    );
    expect(whole).toMatchObject({ ok: true, audit: { chain: { length: 8 } } });
    expect(whole.audit?.share).toBeUndefined();
  });

  it('are hidden from others (404), before anything was sequenced or signed', async () => {
    await expect(buildEvidence(memory.ports, outsider, DOCUMENT_ID)).rejects.toEqual(
      refusal('not_found', 404),
    );
    expect(memory.transparency.leaves).toEqual([]);
    expect(memory.key.uses).toBe(0);
  });

  it('too large to answer inline are published, and the URL points at the very package', async () => {
    const pkg = await buildEvidence(memory.ports, auditor, DOCUMENT_ID);
    const url = await publishEvidence(memory.ports, DOCUMENT_ID, pkg);
    expect(memory.evidence.published.get(url)?.sha256).toBe(pkg.sha256);
  });
});

describe('auditor search', () => {
  beforeEach(() => {
    const { document } = foldEvents(events);
    if (!document) throw new Error('no document');
    memory.documents.registers.push(outgoingRegisterEntry(document, directory));
    memory.documents.registers.push({
      ...outgoingRegisterEntry({ ...document, id: 'doc-16', number: 16, symbol: '16/QĐ-UBND' }, directory),
      number: 16,
      row: {
        symbol: '16/QĐ-UBND',
        issuedOn: '2026-01-05',
        signer: 'CHỦ TỊCH – Trần Sỹ Thanh',
        subject: 'Khác',
      },
    });
  });

  it('finds issued documents by number, symbol and signer (without accents), newest first', async () => {
    const all = await searchDocuments(memory.ports, auditor, {
      from: '2026-01-01',
      to: '2026-01-31',
      orgId: 'ubnd-hanoi',
    });
    expect(all.items.map((h) => h.number)).toEqual([16, 15]);
    expect(all).toMatchObject({ truncated: false, years: [2026], organisations: 1 });
    const bySigner = await searchDocuments(memory.ports, auditor, {
      from: '2026-01-01',
      to: '2026-01-31',
      signer: 'nguyen van an',
    });
    expect(bySigner.items.map((h) => h.documentId)).toEqual([DOCUMENT_ID]);
    expect(bySigner.organisations).toBe(directory.organisations.length);
    const byNumber = await searchDocuments(memory.ports, auditor, {
      from: '2026-01-01',
      to: '2026-01-31',
      number: '16',
    });
    expect(byNumber.items.map((h) => h.symbol)).toEqual(['16/QĐ-UBND']);
    const bySymbol = await searchDocuments(memory.ports, auditor, {
      from: '2026-01-01',
      to: '2026-01-31',
      number: '15/QĐ',
    });
    expect(bySymbol.items.map((h) => h.number)).toEqual([15]);
    const capped = await searchDocuments(memory.ports, auditor, {
      from: '2026-01-01',
      to: '2026-01-31',
      limit: 1,
    });
    expect(capped).toMatchObject({ truncated: true, items: [{ number: 16 }] });
    const outOfRange = await searchDocuments(memory.ports, auditor, { from: '2026-01-06', to: '2026-12-31' });
    expect(outOfRange.items).toEqual([]);
  });

  it('this year up to today by default', async () => {
    memory.setNow(new Date('2026-03-01T00:00:00Z'));
    expect(await searchDocuments(memory.ports, auditor, {})).toMatchObject({
      years: [2026],
      items: [{}, {}],
    });
    memory.setNow(new Date('2027-03-01T00:00:00Z'));
    expect(await searchDocuments(memory.ports, auditor, {})).toMatchObject({ years: [2027], items: [] });
  });

  it('is for auditors only, over at most ten years, in a range that reads forward', async () => {
    await expect(searchDocuments(memory.ports, sender, {})).rejects.toEqual(refusal('forbidden', 403));
    await expect(
      searchDocuments(memory.ports, auditor, { from: '2026-02-01', to: '2026-01-01' }),
    ).rejects.toEqual(refusal('validation_failed', 400));
    await expect(
      searchDocuments(memory.ports, auditor, { from: '2016-01-01', to: '2026-01-01' }),
    ).rejects.toEqual(refusal('validation_failed', 400));
    await expect(searchDocuments(memory.ports, auditor, { orgId: 'no-such-org' })).rejects.toEqual(
      refusal('not_found', 404),
    );
  });
});

describe('verifying an uploaded PDF', () => {
  it('reads the file its starter uploaded, reports on it, and removes it', async () => {
    const { id, upload } = await startVerification(memory.ports, sender);
    const key = upload.url.replace('memory://intake/', '');
    memory.files.uploads.set(key, doc.sealed);
    // Only whoever started it can complete it: another caller's key is another file.
    await expect(verifyUploaded(memory.ports, recipient, id)).rejects.toEqual(refusal('upload_missing', 409));
    const result = await verifyUploaded(memory.ports, sender, id);
    expect(result).toMatchObject({ id, sha256: sha256Hex(doc.sealed) });
    expect(result.report.signatures.map((s) => s.verdict)).toEqual(['valid', 'valid']);
    expect(memory.files.uploads.has(key)).toBe(false);
  });
});

describe('the transparency log', () => {
  const entriesOf = (documentId: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      documentId,
      seq: i + 1,
      hash: sha256Hex(new TextEncoder().encode(`${documentId}#${i + 1}`)),
    }));

  it('appends in batches the store can take, each event once, in the order given', async () => {
    const small = memoryAudit({
      logKey: doc.logKey,
      root: doc.pki.root.certificate,
      crl: doc.crl,
      now: new Date(),
      batchLimit: 4,
    });
    const entries = entriesOf('d1', 10);
    const leaves = await appendLeaves(small.ports, entries);
    expect(leaves.map((l) => l.leafIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(small.transparency.appends).toEqual([
      { size: 0, events: 4, ok: true },
      { size: 4, events: 4, ok: true },
      { size: 8, events: 2, ok: true },
    ]);
    // Again, with a new event among known ones: only the new one is appended.
    const more = [...entries, ...entriesOf('d2', 1)];
    expect((await appendLeaves(small.ports, more)).map((l) => l.leafIndex)).toEqual([
      ...leaves.map((l) => l.leafIndex),
      10,
    ]);
    expect(small.transparency.appends.at(-1)).toEqual({ size: 10, events: 1, ok: true });
  });

  it('refuses an event already sequenced with another hash', async () => {
    await appendLeaves(memory.ports, entriesOf('d1', 2));
    await expect(
      appendLeaves(memory.ports, [{ documentId: 'd1', seq: 2, hash: '00'.repeat(32) }]),
    ).rejects.toThrow(/event 2 of d1 was sequenced at leaf 1/);
  });

  it('concurrent appenders meet as conflicts, retry, and leave no gap and no duplicate', async () => {
    const streams = ['a', 'b', 'c', 'd'].map((d) => entriesOf(d, 20));
    // Each appender also carries the first events of the next one's document (a retried stream batch).
    const results = await Promise.all(
      streams.map((s, i) => appendLeaves(memory.ports, [...s, ...(streams[(i + 1) % 4] ?? []).slice(0, 5)])),
    );
    const leaves = memory.transparency.leaves;
    expect(leaves.map((l) => l.leafIndex)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(new Set(leaves.map((l) => `${l.documentId}#${l.seq}`)).size).toBe(80);
    expect(memory.transparency.appends.some((a) => !a.ok)).toBe(true);
    // Every appender got the leaf each of its events has, whoever appended it.
    for (const r of results)
      for (const leaf of r)
        expect(memory.transparency.byEvent.get(`${leaf.documentId}#${leaf.seq}`)).toEqual(leaf);
  });

  it('caches the hash of each page an append completes', async () => {
    await appendLeaves(memory.ports, entriesOf('big', LEAVES_PER_PAGE + 3));
    expect([...memory.transparency.pages.keys()]).toEqual([0]);
  });

  it('signs a head once per size; concurrent publishers keep the first', async () => {
    await appendLeaves(memory.ports, entriesOf('d1', 5));
    const [first, second] = await Promise.all([currentTreeHead(memory.ports), currentTreeHead(memory.ports)]);
    expect(second).toEqual(first);
    expect(memory.transparency.heads.get(5)).toEqual(first);
    expect(await currentTreeHead(memory.ports)).toEqual(first);
    expect(first).toMatchObject({
      log: 'docflow/test',
      treeSize: 5,
      timestamp: memory.ports.now().toISOString(),
    });
  });

  it('proves inclusion and consistency across pages, against signed heads the roots verify', async () => {
    await appendLeaves(memory.ports, entriesOf('early', 700));
    const old = await currentTreeHead(memory.ports);
    await appendLeaves(memory.ports, entriesOf('late', 2 * LEAVES_PER_PAGE));
    const refs = [1, 500, 700]
      .map((seq) => ({ documentId: 'early', seq }))
      .concat([{ documentId: 'late', seq: 2048 }]);
    // A page hash lost from the cache is computed again from the page's leaves, and kept.
    memory.transparency.pages.delete(1);
    const { head, proofs } = await inclusionProofs(memory.ports, [
      ...refs,
      { documentId: 'late', seq: 9999 },
    ]);
    expect([...memory.transparency.pages.keys()].sort()).toEqual([0, 1]);
    expect(head.treeSize).toBe(700 + 2 * LEAVES_PER_PAGE);
    expect(proofs.at(-1)).toBeUndefined();
    for (const proof of proofs.slice(0, -1)) {
      expect(proof && verifyInclusionProof(proof, doc.pki.trust)).toEqual({ ok: true, problems: [] });
    }
    const consistency = await consistencyBetween(memory.ports, old.treeSize);
    expect(consistency.to).toEqual(head);
    expect(verifyConsistencyProof(consistency, doc.pki.trust)).toEqual({ ok: true, problems: [] });
    expect((await consistencyBetween(memory.ports, old.treeSize, old.treeSize)).path).toEqual([]);
    await expect(consistencyBetween(memory.ports, head.treeSize, old.treeSize)).rejects.toEqual(
      refusal('validation_failed', 400),
    );
    await expect(consistencyBetween(memory.ports, 3)).rejects.toEqual(refusal('not_found', 404));
  });

  it("proves a document's event to who may see it, sequencing the document first", async () => {
    const proof = await eventProof(memory.ports, recipient, DOCUMENT_ID, 4);
    expect(proof).toMatchObject({ documentId: DOCUMENT_ID, seq: 4, eventHash: events[3]?.hash, treeSize: 8 });
    expect(verifyInclusionProof(proof, doc.pki.trust).ok).toBe(true);
    await expect(eventProof(memory.ports, recipient, DOCUMENT_ID, 9)).rejects.toEqual(
      refusal('not_found', 404),
    );
    await expect(eventProof(memory.ports, outsider, DOCUMENT_ID, 4)).rejects.toEqual(
      refusal('not_found', 404),
    );
  });

  it('catches up a document whose chain verifies against its head, and only such a document', async () => {
    await ensureSequenced(memory.ports, DOCUMENT_ID, { seq: 8, hash: '00'.repeat(32) });
    expect(memory.transparency.leaves).toEqual([]);
    await ensureSequenced(memory.ports, DOCUMENT_ID, headOf(events));
    expect(memory.transparency.leaves.map((l) => l.hash)).toEqual(events.map((e) => e.hash));
    // Rewritten from event 3 on, hashes recomputed: the stored log no longer matches what was sequenced.
    const rewritten = rewrittenFrom(3, events);
    memory.documents.store(
      DOCUMENT_ID,
      { ...(await memory.documents.read(DOCUMENT_ID)), head: headOf(rewritten) },
      rewritten,
    );
    await ensureSequenced(memory.ports, DOCUMENT_ID, headOf(rewritten));
    expect(memory.transparency.leaves.map((l) => l.hash)).toEqual(events.map((e) => e.hash));
  });

  it('names each event of a history rewritten with its hashes recomputed, in the report and the package', async () => {
    await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    const rewritten = rewrittenFrom(3, events);
    storeDocument(DOCUMENT_ID, rewritten);
    const audit = await verifyStoredDocument(memory.ports, sender, DOCUMENT_ID);
    expect(audit.chain.ok).toBe(true);
    expect(audit.problems.map((p) => p.code)).toEqual(Array(6).fill('transparency-mismatch'));
    expect(audit.problems[0]?.en).toMatch(
      /^Event 3 hashes to [0-9a-f]{12}…, but the transparency log recorded/,
    );
    expect(memory.transparency.leaves).toHaveLength(8);

    const check = await verifyEvidence(
      (await buildEvidence(memory.ports, sender, DOCUMENT_ID)).zip,
      doc.pki.trust,
    );
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.code)).toEqual(Array(6).fill('transparency-mismatch'));
  });
});
