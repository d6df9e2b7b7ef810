import { createHash } from 'node:crypto';
import { ZERO_HASH } from '../domain/common';
import type { EventDraft } from '../domain/events';
import { canonicalize } from './canonical-json';
import { type CirculationEvent, CirculationEventSchema } from './event';

export { ZERO_HASH };

/** SHA-256 (hex) of the canonical JSON of the event without its `hash` member. */
export function eventHash(event: object): string {
  const { hash: _hash, ...rest } = event as Record<string, unknown>;
  return createHash('sha256').update(canonicalize(rest), 'utf8').digest('hex');
}

/** Where a document's chain ends: what the next event links to (kept with the document's state). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** Places drafted events, in order, after `head` (undefined for a document with no events yet). */
export function appendAfter(head: ChainHead | undefined, drafts: readonly EventDraft[]): CirculationEvent[] {
  const out: CirculationEvent[] = [];
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? ZERO_HASH;
  for (const draft of drafts) {
    seq += 1;
    const unhashed = { ...draft, seq, prevHash };
    const event = { ...unhashed, hash: eventHash(unhashed) } as CirculationEvent;
    out.push(event);
    prevHash = event.hash;
  }
  return out;
}

/** Places a drafted event after `prev` (undefined for the first event of the document). */
export function appendEvent(prev: CirculationEvent | undefined, draft: EventDraft): CirculationEvent {
  if (prev && prev.documentId !== draft.documentId)
    throw new Error(`event of document ${draft.documentId} appended to the log of ${prev.documentId}`);
  const [event] = appendAfter(prev, [draft]);
  if (!event) throw new Error('appendAfter returned no event');
  return event;
}

/** Appends several drafts in order. */
export function appendEvents(
  prev: CirculationEvent | undefined,
  drafts: readonly EventDraft[],
): CirculationEvent[] {
  const foreign = prev && drafts.find((d) => d.documentId !== prev.documentId);
  if (foreign)
    throw new Error(`event of document ${foreign.documentId} appended to the log of ${prev?.documentId}`);
  return appendAfter(prev, drafts);
}

export type ChainProblem =
  | 'malformed'
  | 'foreign-document'
  | 'bad-start'
  | 'gap'
  | 'reordered'
  | 'duplicate-seq'
  | 'hash-mismatch'
  | 'broken-link'
  | 'head-mismatch';

export type ChainVerification =
  | { readonly ok: true; readonly length: number; readonly head?: { seq: number; hash: string } }
  | { readonly ok: false; readonly atSeq: number; readonly problem: ChainProblem; readonly message: string };

export interface VerifyOptions {
  /**
   * The last `seq` and `hash` known from elsewhere (the document item, a receipt, an anchor). Without it,
   * removing events from the end, or rewriting every event from some point on, cannot be detected.
   */
  readonly anchor?: { readonly seq: number; readonly hash: string };
}

function seqOf(event: unknown): number | undefined {
  const seq = (event as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' ? seq : undefined;
}

/**
 * Checks a document's log as read from storage, in storage order: every event well-formed and of the same
 * document, `seq` 1, 2, 3… without gaps, repeats or reordering, each `hash` matching the event's content
 * (computed over the event as stored, so added members count too) and each `prevHash` the previous `hash`.
 * Reports the first problem found.
 */
export function verifyChain(events: readonly unknown[], options: VerifyOptions = {}): ChainVerification {
  const fail = (atSeq: number, problem: ChainProblem, message: string): ChainVerification => ({
    ok: false,
    atSeq,
    problem,
    message,
  });
  let prev: CirculationEvent | undefined;
  const seen = new Set<number>();
  for (let i = 0; i < events.length; i++) {
    const raw = events[i];
    const expected = i + 1;
    const parsed = CirculationEventSchema.safeParse(raw);
    if (!parsed.success)
      return fail(seqOf(raw) ?? expected, 'malformed', `event #${expected} is not a valid circulation event`);
    const event = parsed.data;
    if (prev && event.documentId !== prev.documentId)
      return fail(
        event.seq,
        'foreign-document',
        `event ${event.seq} belongs to document ${event.documentId}`,
      );
    if (event.seq !== expected) {
      if (seen.has(event.seq)) return fail(event.seq, 'duplicate-seq', `seq ${event.seq} appears twice`);
      if (event.seq < expected)
        return fail(event.seq, 'reordered', `seq ${event.seq} comes after seq ${expected - 1}`);
      const laterHasExpected = events.slice(i + 1).some((e) => seqOf(e) === expected);
      return laterHasExpected
        ? fail(event.seq, 'reordered', `seq ${event.seq} comes where seq ${expected} belongs`)
        : fail(
            event.seq,
            'gap',
            `seq ${expected}${event.seq > expected + 1 ? `–${event.seq - 1}` : ''} missing`,
          );
    }
    seen.add(event.seq);
    if (eventHash(raw as object) !== event.hash)
      return fail(
        event.seq,
        'hash-mismatch',
        `event ${event.seq} does not match its hash (edited after it was written)`,
      );
    if (!prev && event.prevHash !== ZERO_HASH)
      return fail(event.seq, 'bad-start', 'the first event must link to 64 zeros');
    if (prev && event.prevHash !== prev.hash)
      return fail(event.seq, 'broken-link', `event ${event.seq} does not link to event ${prev.seq}`);
    prev = event;
  }
  const head = prev ? { seq: prev.seq, hash: prev.hash } : undefined;
  const { anchor } = options;
  if (anchor && (head?.seq !== anchor.seq || head.hash !== anchor.hash))
    return fail(
      head?.seq ?? 0,
      'head-mismatch',
      `the log ends at seq ${head?.seq ?? 0}, but seq ${anchor.seq} with hash ${anchor.hash.slice(0, 12)}… is expected`,
    );
  return head ? { ok: true, length: events.length, head } : { ok: true, length: 0 };
}

/**
 * Checks a share of a document's log (core/domain/visibility.ts: the events one organisation sees), in
 * storage order: every event well-formed and of the same document, seqs increasing without repeats, each
 * `hash` matching the event's content, each `prevHash` the previous `hash` where the share holds both
 * neighbours, and a first event (seq 1) linking to 64 zeros. What lies between is not in the share: the
 * transparency log's inclusion proof of each event is then what shows it is the event the log recorded.
 */
export function verifyShare(events: readonly unknown[]): ChainVerification {
  const fail = (atSeq: number, problem: ChainProblem, message: string): ChainVerification => ({
    ok: false,
    atSeq,
    problem,
    message,
  });
  let prev: CirculationEvent | undefined;
  for (let i = 0; i < events.length; i++) {
    const raw = events[i];
    const parsed = CirculationEventSchema.safeParse(raw);
    if (!parsed.success)
      return fail(seqOf(raw) ?? i + 1, 'malformed', `event #${i + 1} is not a valid circulation event`);
    const event = parsed.data;
    if (prev && event.documentId !== prev.documentId)
      return fail(
        event.seq,
        'foreign-document',
        `event ${event.seq} belongs to document ${event.documentId}`,
      );
    if (prev && event.seq === prev.seq)
      return fail(event.seq, 'duplicate-seq', `seq ${event.seq} appears twice`);
    if (prev && event.seq < prev.seq)
      return fail(event.seq, 'reordered', `seq ${event.seq} comes after seq ${prev.seq}`);
    if (eventHash(raw as object) !== event.hash)
      return fail(
        event.seq,
        'hash-mismatch',
        `event ${event.seq} does not match its hash (edited after it was written)`,
      );
    if (event.seq === 1 && event.prevHash !== ZERO_HASH)
      return fail(event.seq, 'bad-start', 'the first event must link to 64 zeros');
    if (prev && event.seq === prev.seq + 1 && event.prevHash !== prev.hash)
      return fail(event.seq, 'broken-link', `event ${event.seq} does not link to event ${prev.seq}`);
    prev = event;
  }
  return prev
    ? { ok: true, length: events.length, head: { seq: prev.seq, hash: prev.hash } }
    : { ok: true, length: 0 };
}
