import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import { canonicalize } from '../log/canonical-json';
import { eventHash } from '../log/chain';
import type { Actor } from './actor';
import {
  type AdministrationEntry,
  type AdministrationEntryBody,
  AdministrationEntrySchema,
  type PositionRequest,
} from './administration-records';
import { ZERO_HASH } from './common';
import type { Person, Position, Role } from './directory';

export * from './administration-records';

/*
 * Separation of duties in administration. Administrators move people between positions; nobody changes
 * their own position, and a position with the rights to administer or to audit (role `admin` or
 * `auditor`) is given only when a second administrator approves the first one's request (four eyes).
 * Every change, request and decision is an entry of the administration log: one hash chain for the whole
 * directory, like each document's circulation log (log/chain.ts), so that an entry edited or removed
 * afterwards shows.
 *
 * Rights come from the position a person holds (core/domain/visibility.ts): an administrator's position
 * manages people and reads no document, so an administrator who reads documents does so in another
 * position, which they cannot give themselves.
 */

/** Roles whose grant needs a second administrator: administering, and reading every organisation's documents. */
export const GUARDED_ROLES: readonly Role[] = ['admin', 'auditor'];

/** Whether moving `person` to `position` needs a second administrator's approval. */
export function needsSecondAdministrator(person: Person, position: Position): boolean {
  return GUARDED_ROLES.includes(position.role) && canonicalize(person.position) !== canonicalize(position);
}

const adminsOnly = () =>
  new DomainError('forbidden', 403, { reason: messageText('reason_administrators_only') });

/** The caller, if their position is an administrator's; 403 otherwise. */
export function requireAdministrator(actor: Actor): Actor {
  if (actor.position.role !== 'admin') throw adminsOnly();
  return actor;
}

/** An administrator may change anyone's position but their own. */
export function assertNotOwnPosition(actor: Actor, personId: string): void {
  if (actor.id === personId)
    throw new DomainError('forbidden', 403, { reason: messageText('reason_own_position') });
}

export { administers } from './directory';

// --- Requests for a guarded position ---------------------------------------------------------------------

/**
 * Who may decide a pending request: approving takes another administrator than the one who asked (four
 * eyes); turning it down, any administrator, the one who asked included (a withdrawal). Nobody decides a
 * request that moves themselves.
 */
export function assertMayDecide(
  actor: Actor,
  request: PositionRequest,
  decision: 'approve' | 'reject',
): void {
  requireAdministrator(actor);
  assertNotOwnPosition(actor, request.personId);
  if (decision === 'approve' && actor.id === request.requestedBy)
    throw new DomainError('forbidden', 403, { reason: messageText('reason_second_administrator') });
  if (request.status !== 'pending')
    throw new DomainError('position_request_decided', 409, { status: request.status });
}

// --- The administration log ------------------------------------------------------------------------------

export interface AdministrationHead {
  readonly seq: number;
  readonly hash: string;
}

/** Places entries after `head` in the chain (hash = SHA-256 of the canonical JSON without `hash`). */
export function chainEntries(
  head: AdministrationHead | undefined,
  bodies: readonly AdministrationEntryBody[],
): AdministrationEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? ZERO_HASH;
  return bodies.map((body) => {
    seq += 1;
    const unhashed = { ...body, seq, prevHash };
    const entry = { ...unhashed, hash: eventHash(unhashed) };
    prevHash = entry.hash;
    return entry;
  });
}

export type AdministrationLogCheck =
  | { readonly ok: true; readonly length: number; readonly head: AdministrationHead | null }
  | { readonly ok: false; readonly atSeq: number; readonly length: number };

/**
 * Checks the administration log as stored: each entry well-formed, seqs 1, 2, 3… without gaps, each hash
 * matching its entry and each `prevHash` the previous hash, ending at the head kept beside it.
 */
export function checkAdministrationLog(
  entries: readonly unknown[],
  head: AdministrationHead | undefined,
): AdministrationLogCheck {
  let prevHash = ZERO_HASH;
  for (const [i, raw] of entries.entries()) {
    const parsed = AdministrationEntrySchema.safeParse(raw);
    if (
      !parsed.success ||
      parsed.data.seq !== i + 1 ||
      parsed.data.prevHash !== prevHash ||
      eventHash(raw as object) !== parsed.data.hash
    )
      return { ok: false, atSeq: i + 1, length: entries.length };
    prevHash = parsed.data.hash;
  }
  const last = entries.length > 0 ? { seq: entries.length, hash: prevHash } : undefined;
  if ((head?.seq ?? 0) !== (last?.seq ?? 0) || (head && head.hash !== last?.hash))
    return { ok: false, atSeq: Math.min(head?.seq ?? 0, entries.length) + 1, length: entries.length };
  return { ok: true, length: entries.length, head: last ?? null };
}
