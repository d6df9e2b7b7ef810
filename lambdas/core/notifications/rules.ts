import * as z from 'zod';
import type { Directory, Person } from '../domain/directory';
import { isOrganisationLeader } from '../domain/directory';
import { type Urgency, UrgencySchema } from '../domain/document-types';
import type { Assignee } from '../domain/events';
import type { IncomingRecord } from '../domain/incoming';
import type { OutgoingDocument } from '../domain/outgoing';
import { accessOf, type DocumentParties } from '../domain/visibility';
import type { CirculationEvent } from '../log/event';

/*
 * Who is told of an event, and of what: decided from the event, the document as it stands after it, and the
 * people of the directory as they are now. Every person chosen must pass the one visibility rule
 * (domain/visibility.ts) with their current position, so a notification never names a document its reader
 * may not see (a unit code such as `VX` exists in many organisations: only the event's own counts).
 */

export const NOTIFICATION_KINDS = [
  'arrival',
  'to-sign',
  'presented',
  'assignment',
  'returned',
  'recalled',
  // The arrival of a document that replaces or corrects one the organisation received (core/domain/amendments.ts).
  'replacement',
  'correction',
  // Reminders (core/notifications/reminders.ts): made by the scheduled sweep, not by an event.
  'deadline-soon',
  'deadline-today',
  'overdue',
  'not-opened',
  // The sender's reminder to recipients that have not registered the document yet (a `registration-reminded`
  // event of the log, use-cases/recipient-reminders.ts).
  'registration-reminder',
  // What a person who left had to do, handed to their successor (a departure's handed-over events).
  'handover',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** What a notification says about its document: metadata only, never the file or its content. */
export const NotificationFactsSchema = z.object({
  documentId: z.string(),
  /** The event's place in the document's log: with the document id, what makes a notification unique. */
  seq: z.int().min(1),
  at: z.string(),
  kind: NotificationKindSchema,
  /** Số, ký hiệu (`12/UBND-VX`); absent on a draft not yet issued. */
  symbol: z.string().optional(),
  subject: z.string(),
  urgency: UrgencySchema,
  /** The organisation the document comes from (incoming documents). */
  senderOrgId: z.string().optional(),
  dueDate: z.string().optional(),
  deliverBy: z.string().optional(),
  /**
   * A reminder's stage and the deadline it is for (`overdue:2026-12-10`): with the document id, what makes a
   * reminder unique (a reminder is no event of the log, and its `seq` is 1).
   */
  reminder: z.string().max(80).optional(),
  /** Số, ký hiệu of the document a replacement or correction names. */
  amends: z.string().max(120).optional(),
});
export type NotificationFacts = z.infer<typeof NotificationFactsSchema>;

export interface NotificationTarget {
  readonly person: Person;
  readonly facts: NotificationFacts;
}

/** Thượng khẩn and above reach the leader with the clerk at once (Hỏa tốc: the recipient's leader too). */
export const reachesLeaderAtOnce = (urgency: Urgency): boolean =>
  urgency === 'flash' || urgency === 'flash-timed';

/** What is known of the document after the event: the sender's document, or the recipient's record. */
export interface DocumentState {
  readonly document?: OutgoingDocument;
  readonly incoming?: IncomingRecord;
}

const partiesOf = (event: CirculationEvent, state: DocumentState): DocumentParties =>
  state.incoming
    ? { incoming: [{ orgId: event.orgId }] }
    : { document: { orgId: state.document?.orgId ?? event.orgId }, incoming: [] };

function factsOf(
  event: CirculationEvent,
  state: DocumentState,
  kind: NotificationKind,
): NotificationFacts | undefined {
  const base = { documentId: event.documentId, seq: event.seq, at: event.at, kind };
  if (state.incoming) {
    const r = state.incoming;
    return {
      ...base,
      symbol: r.symbol,
      ...(r.amends ? { amends: r.amends.symbol } : {}),
      subject: r.subject,
      urgency: r.urgency,
      senderOrgId: r.senderOrgId,
      ...((r.handlerDeadline ?? r.assignment?.deadline ?? r.dueDate)
        ? { dueDate: r.handlerDeadline ?? r.assignment?.deadline ?? r.dueDate }
        : {}),
      ...(r.deliverBy ? { deliverBy: r.deliverBy } : {}),
    };
  }
  const d = state.document;
  if (!d) return undefined;
  return {
    ...base,
    ...(d.symbol ? { symbol: d.symbol } : {}),
    subject: d.subject,
    urgency: d.urgency,
    ...(d.dueDate ? { dueDate: d.dueDate } : {}),
    ...(d.deliverBy ? { deliverBy: d.deliverBy } : {}),
  };
}

/** The people an assignee stands for in one organisation: the person, or the members of the unit. */
export function assigneePeople(assignee: Assignee, orgId: string, people: readonly Person[]): Person[] {
  return people.filter((p) =>
    assignee.kind === 'person'
      ? p.id === assignee.personId
      : p.position.orgId === orgId && p.position.unitCode === assignee.unitCode,
  );
}

export const clerksOf = (orgId: string, people: readonly Person[]) =>
  people.filter((p) => p.position.orgId === orgId && p.position.role === 'clerk');

/**
 * The notifications an event makes: each to a person who may see the document now, never to the person
 * who acted, at most one per person.
 */
export function notificationsFor(
  event: CirculationEvent,
  state: DocumentState,
  people: readonly Person[],
  directory: Directory,
): NotificationTarget[] {
  const chosen: [Person, NotificationKind][] = [];
  const add = (list: readonly Person[], kind: NotificationKind) => {
    for (const p of list) chosen.push([p, kind]);
  };
  switch (event.type) {
    case 'arrived': {
      // A replacement or correction of a document the organisation received is told as such.
      const amends = event.payload.amends?.kind;
      const kind = amends === 'replaces' ? 'replacement' : amends === 'corrects' ? 'correction' : 'arrival';
      add(clerksOf(event.orgId, people), kind);
      if (reachesLeaderAtOnce(event.payload.urgency))
        add(
          people.filter((p) => isOrganisationLeader(p, event.orgId)),
          kind,
        );
      break;
    }
    case 'delivery-recalled':
      add(clerksOf(event.orgId, people), 'recalled');
      break;
    case 'handed-over':
    case 'duties-handed-over':
      add(
        people.filter((p) => p.id === event.payload.toPersonId),
        'handover',
      );
      break;
    case 'registration-reminded':
      // Only while the record still waits for its clerk: a reminder the stream gives late tells no one.
      if (state.incoming?.state === 'ARRIVED') add(clerksOf(event.orgId, people), 'registration-reminder');
      break;
    case 'approved': {
      const signer = event.payload.designatedSignerId;
      add(
        signer
          ? people.filter((p) => p.id === signer)
          : people.filter((p) => isOrganisationLeader(p, event.orgId) && p.position.rank === 'head'),
        'to-sign',
      );
      break;
    }
    case 'returned-for-revision':
      if (state.document)
        add(
          people.filter((p) => p.id === state.document?.drafterId),
          'returned',
        );
      break;
    case 'presented':
      add(
        people.filter((p) => p.id === event.payload.toPersonId),
        'presented',
      );
      break;
    case 'assigned': {
      const { lead, supporting, forInformation } = event.payload.assignment;
      for (const a of [lead, ...supporting, ...forInformation])
        add(assigneePeople(a, event.orgId, people), 'assignment');
      break;
    }
    case 'reassigned':
      add(assigneePeople(event.payload.handler, event.orgId, people), 'assignment');
      break;
    default:
      return [];
  }
  const parties = partiesOf(event, state);
  const seen = new Set<string>();
  const targets: NotificationTarget[] = [];
  for (const [person, kind] of chosen) {
    if (seen.has(person.id) || person.id === event.actor.userId) continue;
    // Of the same organisation as the event (an auditor sees everything, but is told of nothing), and
    // allowed to see the document by the rule every read applies.
    if (person.position.orgId !== event.orgId) continue;
    if (!accessOf({ actor: { ...person, delegations: [] }, directory }, parties)) continue;
    const facts = factsOf(event, state, kind);
    if (!facts) continue;
    seen.add(person.id);
    targets.push({ person, facts });
  }
  return targets;
}
