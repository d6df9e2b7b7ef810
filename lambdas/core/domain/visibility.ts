import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import type { Caller } from './caller';
import type { EventType } from './events';
import type { IncomingRecord } from './incoming';

/*
 * Who may see a document, and which part of it: the one rule the document view, the inbox, the file, the
 * audit routes and the transparency proofs all apply. A document someone may not see does not exist for
 * them: the answer is the same 404 as for an id that was never used, so existence does not leak.
 *
 * Rights come from the position a person holds now, never from a second role beside it: an administrator's
 * position (role `admin`) manages people and reads no document; an auditor reads every document as an
 * auditor, whichever organisation their position is in (its documents included); everyone else reads
 * what their organisation sent or received, and of that only their organisation's share (below).
 */

/** How the caller is related to the document: its issuing organisation, a recipient, or an auditor. */
export type DocumentAccess = 'sender' | 'recipient' | 'auditor';

/** What the rule looks at: who owns the document (its draft or upload) and who received it. */
export interface DocumentParties {
  readonly document?: { readonly orgId: string; readonly coIssuers?: readonly string[] };
  readonly upload?: { readonly orgId: string };
  readonly incoming: readonly { readonly orgId: string }[];
}

export function accessOf(caller: Caller, parties: DocumentParties): DocumentAccess | undefined {
  const { orgId: org, role } = caller.actor.position;
  // Managing people is no reason to read documents (docs/GLOSSARY.md, "Quản trị hệ thống").
  if (role === 'admin') return undefined;
  if (role === 'auditor')
    return parties.document || parties.incoming.length > 0 || parties.upload?.orgId === org
      ? 'auditor'
      : undefined;
  if (parties.document?.orgId === org || parties.upload?.orgId === org) return 'sender';
  // A joint document's co-issuers issue it too (core/domain/joint.ts).
  if (parties.document?.coIssuers?.includes(org)) return 'sender';
  if (parties.incoming.some((r) => r.orgId === org)) return 'recipient';
  // A TL./TUQ. delegate (the Chief of Office for the committee) reads the documents they may sign.
  // Only while in force: a delegation recorded ahead of its period, ended or revoked opens nothing.
  const owner = parties.document?.orgId;
  const now = (caller.at ?? new Date()).toISOString();
  const inForce = (d: { validFrom: string; validUntil?: string; revokedAt?: string }) =>
    !d.revokedAt && d.validFrom <= now && (!d.validUntil || now < d.validUntil);
  if (owner && caller.actor.delegations?.some((d) => d.orgId === owner && inForce(d))) return 'sender';
  return undefined;
}

export const documentNotFound = () =>
  new DomainError('not_found', 404, { what: messageText('what_document') });

/** The caller's access to the document; a 404 when they have none. */
export function assertVisible(caller: Caller, parties: DocumentParties): DocumentAccess {
  const access = accessOf(caller, parties);
  if (!access) throw documentNotFound();
  return access;
}

/**
 * A recipient's copy of a recalled document is no longer served (D30 PL VI III.8: the incoming copy is
 * removed, the outgoing one frozen): not its file, not its verification or evidence, from the moment the
 * sender's recall is committed (before every recipient's record has been marked) and with the reason. A
 * link handed out before expires within its short lifetime (adapters/file-store.ts). The recipient still
 * sees the document's record: that it was recalled, by whom and why.
 */
export function assertCopyServed(
  caller: Caller,
  stored: {
    readonly document?: { readonly orgId: string; readonly state: string; readonly recallReason?: string };
    readonly incoming: readonly {
      readonly orgId: string;
      readonly senderOrgId: string;
      readonly state: string;
      readonly recallReason?: string;
    }[];
  },
  access: DocumentAccess,
): void {
  if (access !== 'recipient') return;
  const mine = stored.incoming.find((r) => r.orgId === caller.actor.position.orgId);
  if (stored.document?.state !== 'RECALLED' && mine?.state !== 'RECALLED') return;
  const senderOrgId = mine?.senderOrgId ?? stored.document?.orgId ?? '';
  throw new DomainError('document_recalled', 410, {
    orgName: caller.directory.find(senderOrgId)?.name ?? senderOrgId,
    reason: stored.document?.recallReason ?? mine?.recallReason ?? '',
  });
}

/** Whether the caller's position lets them read documents at all (administrators' does not). */
export const readsDocuments = (caller: Caller): boolean => caller.actor.position.role !== 'admin';

/*
 * Notes have an audience. One log holds the sender's events and every recipient's; an organisation's own
 * events (drafting, review, the reasons a draft went back, directions and assignments, who handles what)
 * stay with it. What crosses to the other side is what that side must know, each event whole or not at
 * all (so that an event shown can be checked against its hash and the transparency log):
 * - a recipient sees the sender's public steps: the signatures, the issue, the sending, a recall or a
 *   replacement and their reasons;
 * - the sender sees each recipient's receipt: arrival, registration, a return and the reason addressed to
 *   the sender, the recall of its copy. How far each recipient got (assigned, in progress, done) is in the
 *   sender's delivery list, without the recipient's notes or assignees;
 * - co-recipients see nothing of each other;
 * - an auditor sees everything.
 */

/** The sender's events a recipient sees. */
export const SENDER_EVENTS_FOR_RECIPIENTS: ReadonlySet<EventType> = new Set<EventType>([
  'signed',
  'issued',
  'sent',
  'recalled',
  'replaced',
  'corrected',
]);

/** A recipient's events its sender sees. */
export const RECIPIENT_EVENTS_FOR_SENDER: ReadonlySet<EventType> = new Set<EventType>([
  'arrived',
  'registered',
  'returned-to-sender',
  'delivery-recalled',
  'registration-reminded',
]);

/** Who is looking at a document's log: their access, their organisation and the document's issuer. */
export interface Audience {
  readonly access: DocumentAccess;
  readonly orgId: string;
  /** The issuing organisation (undefined for a draft still awaiting its file). */
  readonly senderOrgId: string | undefined;
}

export function audienceOf(
  caller: Caller,
  access: DocumentAccess,
  parties: { readonly document?: { readonly orgId: string } },
): Audience {
  return { access, orgId: caller.actor.position.orgId, senderOrgId: parties.document?.orgId };
}

/** Whether one event of the log is in the audience's share. */
export function inShare(
  audience: Audience,
  event: { readonly orgId: string; readonly type: string },
): boolean {
  if (audience.access === 'auditor' || event.orgId === audience.orgId) return true;
  const type = event.type as EventType;
  if (audience.access === 'sender')
    // A co-issuer of a joint document sees the lead's public steps, as a recipient would, and the receipts.
    return (
      RECIPIENT_EVENTS_FOR_SENDER.has(type) ||
      (event.orgId === audience.senderOrgId && SENDER_EVENTS_FOR_RECIPIENTS.has(type))
    );
  return event.orgId === audience.senderOrgId && SENDER_EVENTS_FOR_RECIPIENTS.has(type);
}

/** The events of the log in the audience's share, in log order. */
export function shareOf<E extends { readonly orgId: string; readonly type: string }>(
  audience: Audience,
  events: readonly E[],
): E[] {
  return events.filter((e) => inShare(audience, e));
}

/**
 * A recipient's record as its sender sees it: its status, numbers and times, and the reason of a return
 * (addressed to the sender); not to whom it was presented, the direction note, the assignees or the notes
 * of its handling.
 */
export function recordForSender(record: IncomingRecord): IncomingRecord {
  const {
    presentedTo: _presentedTo,
    assignment: _assignment,
    assignedBy: _assignedBy,
    handler: _handler,
    handlerDeadline: _handlerDeadline,
    resolutionNote: _resolutionNote,
    ...shared
  } = record;
  return shared;
}
