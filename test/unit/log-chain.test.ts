import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { arriveIncoming, decideIncoming } from '../../lambdas/core/domain/incoming';
import { canonicalize } from '../../lambdas/core/log/canonical-json';
import { appendEvent, appendEvents, eventHash, verifyChain, ZERO_HASH } from '../../lambdas/core/log/chain';
import { type CirculationEvent, CirculationEventSchema } from '../../lambdas/core/log/event';
import { ctx, later, NOW, people, sentDocument } from './domain-fixtures';

/** A realistic log: a city decision from draft to sent, then arrival and registration at a ward. */
function log(): CirculationEvent[] {
  const { doc, events } = sentDocument();
  const arrival = arriveIncoming(doc, 'phuong-ba-dinh', people.cityClerk, later(1), ctx);
  const registration = decideIncoming(
    arrival.state,
    { type: 'register', signatureCheck: { valid: true } },
    people.wardClerk,
    later(2),
    ctx,
  );
  return appendEvents(undefined, [...events, ...arrival.events, ...registration.events]);
}

const copy = (events: CirculationEvent[]): CirculationEvent[] => structuredClone(events);

describe('appending', () => {
  it('numbers events 1, 2, 3… and links each to the previous hash', () => {
    const events = log();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.prevHash).toBe(ZERO_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    for (const e of events) expect(CirculationEventSchema.safeParse(e).success).toBe(true);
  });

  it('hashes the RFC 8785 canonical JSON of the event without its hash', () => {
    const [first] = log();
    if (!first) throw new Error('empty log');
    const { hash, ...rest } = first;
    expect(hash).toBe(createHash('sha256').update(canonicalize(rest)).digest('hex'));
    expect(eventHash(first)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash whatever the member order or a JSON round trip', () => {
    const events = log();
    const roundTripped = JSON.parse(JSON.stringify(events)) as CirculationEvent[];
    expect(verifyChain(roundTripped)).toMatchObject({ ok: true, length: events.length });
    const reordered = events.map((e) => Object.fromEntries(Object.entries(e).reverse()));
    expect(verifyChain(reordered).ok).toBe(true);
  });

  it('refuses to append an event of another document', () => {
    const [first] = log();
    const { doc } = sentDocument();
    const other = arriveIncoming({ ...doc, id: 'doc-2' }, 'so-noi-vu', people.cityClerk, NOW, ctx).events[0];
    if (!first || !other) throw new Error('fixture');
    expect(() => appendEvent(first, other)).toThrow(/appended to the log of doc-1/);
  });
});

describe('verifying', () => {
  it('accepts an intact log and reports its head', () => {
    const events = log();
    const last = events.at(-1);
    expect(verifyChain(events)).toEqual({
      ok: true,
      length: events.length,
      head: { seq: last?.seq, hash: last?.hash },
    });
    expect(verifyChain([])).toEqual({ ok: true, length: 0 });
  });

  it('detects an edited event (hash mismatch at that event)', () => {
    const events = copy(log());
    const issued = events.find((e) => e.type === 'issued');
    if (issued?.type !== 'issued') throw new Error('fixture');
    issued.payload.symbol = '99/QĐ-UBND';
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: issued.seq, problem: 'hash-mismatch' });
  });

  it('detects an edited event whose hash was recomputed (broken link at the next one)', () => {
    const events = copy(log());
    const target = events[3];
    if (!target) throw new Error('fixture');
    target.at = '2020-01-01T00:00:00.000Z';
    target.hash = eventHash(target);
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: 5, problem: 'broken-link' });
  });

  it('detects a member added to a stored event', () => {
    const events = copy(log()) as (CirculationEvent & { note?: string })[];
    const target = events[2];
    if (!target) throw new Error('fixture');
    target.note = 'thêm vào sau';
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: 3, problem: 'hash-mismatch' });
  });

  it('detects a deleted event (gap)', () => {
    const events = copy(log());
    events.splice(4, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: 6, problem: 'gap' });
    const two = copy(log());
    two.splice(2, 2);
    expect(verifyChain(two)).toMatchObject({
      ok: false,
      atSeq: 5,
      problem: 'gap',
      message: 'seq 3–4 missing',
    });
  });

  it('detects two swapped events (reordered)', () => {
    const events = copy(log());
    const [a, b] = [events[3], events[4]];
    if (!a || !b) throw new Error('fixture');
    events[3] = b;
    events[4] = a;
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: 5, problem: 'reordered' });
  });

  it('detects swapped events renumbered to hide it (hash mismatch)', () => {
    const events = copy(log());
    const [a, b] = [events[3], events[4]];
    if (!a || !b) throw new Error('fixture');
    [a.seq, b.seq] = [b.seq, a.seq];
    events[3] = b;
    events[4] = a;
    expect(verifyChain(events)).toMatchObject({ ok: false, atSeq: 4, problem: 'hash-mismatch' });
  });

  it('detects an inserted event, however it is made', () => {
    const events = log();
    const template = events[3];
    if (!template) throw new Error('fixture');
    const { seq: _seq, prevHash: _prev, hash: _hash, ...draft } = template;
    const forged = appendEvent(events[2], {
      ...draft,
      actor: { userId: 'intruder', orgId: 'ubnd-hanoi', role: 'leader' },
    });
    // Inserted with a valid hash, linking to its predecessor, the rest left as they were: seq repeats.
    const withDuplicate = [...events.slice(0, 3), forged, ...events.slice(3)];
    expect(verifyChain(withDuplicate)).toMatchObject({ ok: false, atSeq: 4, problem: 'duplicate-seq' });
    // Inserted and the following events renumbered: their hashes no longer match.
    const renumbered = [
      ...events.slice(0, 3),
      forged,
      ...copy(events.slice(3)).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, atSeq: 5, problem: 'hash-mismatch' });
    // Inserted and every later event re-chained: only an anchor kept elsewhere reveals it.
    const rechained = appendEvents(forged, events.slice(3));
    const rewritten = [...events.slice(0, 3), forged, ...rechained];
    expect(verifyChain(rewritten).ok).toBe(true);
    const anchor = { seq: events.at(-1)?.seq ?? 0, hash: events.at(-1)?.hash ?? '' };
    expect(verifyChain(rewritten, { anchor })).toMatchObject({ ok: false, problem: 'head-mismatch' });
  });

  it('detects a truncated log against an anchor', () => {
    const events = log();
    const anchor = { seq: events.length, hash: events.at(-1)?.hash ?? '' };
    expect(verifyChain(events, { anchor }).ok).toBe(true);
    expect(verifyChain(events.slice(0, -1), { anchor })).toMatchObject({
      ok: false,
      problem: 'head-mismatch',
    });
  });

  it('detects a log that does not start at 1 with zeros, mixes documents or holds garbage', () => {
    const events = log();
    expect(verifyChain(events.slice(1))).toMatchObject({ ok: false, atSeq: 2, problem: 'gap' });
    const badStart = copy(events);
    const first = badStart[0];
    if (!first) throw new Error('fixture');
    first.prevHash = 'f'.repeat(64);
    first.hash = eventHash(first);
    expect(verifyChain(badStart.slice(0, 1))).toMatchObject({ ok: false, atSeq: 1, problem: 'bad-start' });
    const foreign = copy(events);
    const second = foreign[1];
    if (!second) throw new Error('fixture');
    second.documentId = 'doc-9';
    expect(verifyChain(foreign)).toMatchObject({ ok: false, atSeq: 2, problem: 'foreign-document' });
    expect(verifyChain([...events, { seq: events.length + 1, type: 'nonsense' }])).toMatchObject({
      ok: false,
      atSeq: events.length + 1,
      problem: 'malformed',
    });
  });
});
