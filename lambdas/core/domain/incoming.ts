import * as z from 'zod';
import { DomainError } from '../errors';
import { type Actor, eventActor } from './actor';
import { AmendsSchema } from './amendments';
import {
  CalendarDateSchema,
  DocumentIdSchema,
  InstantSchema,
  NoteSchema,
  OrgIdSchema,
  PersonIdSchema,
  Sha256HexSchema,
} from './common';
import { type Decision, forbidden, invalid, requireMember, requireRole } from './decision';
import {
  type Directory,
  isOrganisationLeader,
  RecipientPurposeSchema,
  type Role,
  resolveRecipients,
} from './directory';
import { DocumentTypeIdSchema, SubjectSchema, UrgencySchema } from './document-types';
import {
  type Assignee,
  AssigneeSchema,
  AssignmentSchema,
  type EventBody,
  type EventDraft,
  isIncomingEventType,
} from './events';
import { type ActionName, incomingStateParams, outgoingStateParams } from './labels';
import { allocateNumber, type NumberingSeries, vietnamCalendarDate } from './numbering';
import type { OutgoingDocument } from './outgoing';
import { type IncomingState, IncomingStateSchema } from './states';

export { type IncomingState, IncomingStateSchema };

/**
 * An incoming document at one recipient (văn bản đến, D30 Art.20–24):
 *
 * ```
 * ARRIVED ─return─▶ RETURNED                       (invalid, incomplete or misdirected; the sender is told why)
 * ARRIVED ─register─▶ REGISTERED ─present─▶ PRESENTED ─assign─▶ ASSIGNED ─start─▶ IN_PROGRESS ─resolve─▶ RESOLVED
 *                                                               (reassign keeps ASSIGNED / IN_PROGRESS)
 * REGISTERED | PRESENTED | ASSIGNED | IN_PROGRESS ─forward─▶ FORWARDED   (to another organisation)
 * any state but RETURNED and RECALLED ─recall (by the sender)─▶ RECALLED
 * ```
 * A document that is not registered creates no duty to act (Art.22.1).
 *
 * | command  | from                                       | who                                                  |
 * |----------|--------------------------------------------|------------------------------------------------------|
 * | return, register, present | ARRIVED / ARRIVED / REGISTERED | a clerk of the recipient                     |
 * | assign   | PRESENTED                                  | a leader of the recipient (bút phê)                  |
 * | reassign | ASSIGNED, IN_PROGRESS                      | a leader of the recipient; a unit head within their unit |
 * | start    | ASSIGNED                                   | the handler (the person, or a member of the unit)    |
 * | resolve  | IN_PROGRESS                                | the handler, or a leader of the recipient itself     |
 * | forward  | REGISTERED, PRESENTED, ASSIGNED, IN_PROGRESS | a clerk or leader of the recipient                 |
 * | recall   | all but RETURNED, RECALLED                 | a leader or clerk of the original sender             |
 */

export const IncomingRecordSchema = z.object({
  documentId: DocumentIdSchema,
  /** The recipient organisation. */
  orgId: OrgIdSchema,
  /** The organisation that issued the document. */
  senderOrgId: OrgIdSchema,
  /** The organisation that forwarded it here, if it came by forwarding. */
  forwardedBy: OrgIdSchema.optional(),
  purpose: RecipientPurposeSchema,
  state: IncomingStateSchema,
  typeId: DocumentTypeIdSchema,
  subject: SubjectSchema,
  symbol: z.string(),
  issuedOn: CalendarDateSchema,
  urgency: UrgencySchema,
  deliverBy: InstantSchema.optional(),
  dueDate: CalendarDateSchema.optional(),
  /** The document (of the same sender) this one replaces or corrects. */
  amends: AmendsSchema.optional(),
  /** SHA-256 of the delivered file. */
  documentSha256: Sha256HexSchema,
  arrivedAt: InstantSchema,
  /** Số đến. */
  arrivalNumber: z.int().min(1).optional(),
  arrivalYear: z.int().optional(),
  registeredAt: InstantSchema.optional(),
  presentedTo: PersonIdSchema.optional(),
  presentedAt: InstantSchema.optional(),
  assignment: AssignmentSchema.optional(),
  assignedBy: PersonIdSchema.optional(),
  assignedAt: InstantSchema.optional(),
  /** Who handles it now when re-assigned within the organisation (else the assignment's lead). */
  handler: AssigneeSchema.optional(),
  /** The inner deadline given on re-assignment. */
  handlerDeadline: CalendarDateSchema.optional(),
  startedAt: InstantSchema.optional(),
  resolvedAt: InstantSchema.optional(),
  replyDocumentId: DocumentIdSchema.optional(),
  resolutionNote: NoteSchema.optional(),
  forwardedTo: z.array(OrgIdSchema).optional(),
  forwardedAt: InstantSchema.optional(),
  returnReason: NoteSchema.optional(),
  returnedAt: InstantSchema.optional(),
  recallReason: NoteSchema.optional(),
  recalledAt: InstantSchema.optional(),
  updatedAt: InstantSchema,
  version: z.int().min(1),
});
export type IncomingRecord = z.infer<typeof IncomingRecordSchema>;

// --- Commands -----------------------------------------------------------------------------------------------

export const ReturnCommandSchema = z.object({ type: z.literal('return'), reason: NoteSchema });
export const RegisterCommandSchema = z.object({
  type: z.literal('register'),
  /** The clerk's check of the authenticity and integrity of every signature (Art.22); why not, in both languages. */
  signatureCheck: z.object({
    valid: z.boolean(),
    detail: z.object({ vi: z.string().max(2000), en: z.string().max(2000) }).optional(),
  }),
});
export const PresentCommandSchema = z.object({ type: z.literal('present'), toPersonId: PersonIdSchema });
export const AssignCommandSchema = AssignmentSchema.extend({ type: z.literal('assign') });
export const ReassignCommandSchema = z.object({
  type: z.literal('reassign'),
  handler: AssigneeSchema,
  deadline: CalendarDateSchema.optional(),
  note: NoteSchema.optional(),
});
export const StartCommandSchema = z.object({ type: z.literal('start') });
export const ResolveCommandSchema = z.object({
  type: z.literal('resolve'),
  /** The reply document, if the matter was answered by one. */
  replyDocumentId: DocumentIdSchema.optional(),
  note: NoteSchema.optional(),
});
export const ForwardCommandSchema = z.object({
  type: z.literal('forward'),
  /** Organisation ids or group names. */
  to: z.array(z.string().min(1).max(80)).min(1).max(200),
  note: NoteSchema.optional(),
});
/** Sent to each recipient's record when the sender recalls the document. */
export const RecallDeliveryCommandSchema = z.object({ type: z.literal('recall'), reason: NoteSchema });

export const IncomingCommandSchema = z.discriminatedUnion('type', [
  ReturnCommandSchema,
  RegisterCommandSchema,
  PresentCommandSchema,
  AssignCommandSchema,
  ReassignCommandSchema,
  StartCommandSchema,
  ResolveCommandSchema,
  ForwardCommandSchema,
  RecallDeliveryCommandSchema,
]);
export type IncomingCommand = z.infer<typeof IncomingCommandSchema>;
export type IncomingCommandType = IncomingCommand['type'];

export interface IncomingContext {
  readonly directory: Directory;
  /** For `register`: the stored arrival series of the recipient (any year), or undefined if none yet. */
  readonly arrivalSeries?: NumberingSeries;
}

interface Rule {
  readonly from: readonly IncomingState[];
  readonly roles: readonly Role[];
}

export const INCOMING_RULES: Readonly<Record<IncomingCommandType, Rule>> = {
  return: { from: ['ARRIVED'], roles: ['clerk'] },
  register: { from: ['ARRIVED'], roles: ['clerk'] },
  present: { from: ['REGISTERED'], roles: ['clerk'] },
  assign: { from: ['PRESENTED'], roles: ['leader'] },
  reassign: { from: ['ASSIGNED', 'IN_PROGRESS'], roles: ['leader'] },
  start: { from: ['ASSIGNED'], roles: ['specialist', 'leader'] },
  resolve: { from: ['IN_PROGRESS'], roles: ['specialist', 'leader'] },
  forward: { from: ['REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS'], roles: ['clerk', 'leader'] },
  recall: {
    from: ['ARRIVED', 'REGISTERED', 'PRESENTED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'FORWARDED'],
    roles: ['leader', 'clerk'],
  },
};

const WRONG_STATE = {
  return: 'incoming_cannot_return',
  register: 'incoming_cannot_register',
  present: 'incoming_cannot_present',
  assign: 'incoming_cannot_assign',
  reassign: 'incoming_cannot_reassign',
  start: 'incoming_cannot_start',
  resolve: 'incoming_cannot_resolve',
  forward: 'incoming_cannot_forward',
  recall: 'incoming_cannot_recall',
} as const;

const ACTIONS: Record<IncomingCommandType, ActionName> = {
  return: 'return',
  register: 'register',
  present: 'present',
  assign: 'assign',
  reassign: 'reassign',
  start: 'start',
  resolve: 'resolve',
  forward: 'forward',
  recall: 'recall-delivery',
};

function drafts(
  record: Pick<IncomingRecord, 'documentId' | 'orgId' | 'documentSha256'>,
  actor: Actor,
  now: Date,
  bodies: readonly EventBody[],
): EventDraft[] {
  return bodies.map((b) => ({
    documentId: record.documentId,
    at: now.toISOString(),
    actor: eventActor(actor),
    orgId: record.orgId,
    documentSha256: record.documentSha256,
    ...b,
  }));
}

/** The person or unit handling the record now. */
export function currentHandler(record: IncomingRecord): Assignee | undefined {
  return record.handler ?? record.assignment?.lead;
}

function isHandler(actor: Actor, handler: Assignee | undefined): boolean {
  if (!handler) return false;
  return handler.kind === 'person'
    ? handler.personId === actor.id
    : actor.position.unitCode !== undefined && actor.position.unitCode === handler.unitCode;
}

function applyAll(record: IncomingRecord | undefined, events: readonly EventDraft[]): IncomingRecord {
  const next = events.reduce<IncomingRecord | undefined>(evolveIncoming, record);
  if (!next) throw new Error('no incoming state after applying events');
  return next;
}

export interface ArrivalOptions {
  /** The recipient's record of this document, if it already exists (arrival is then refused). */
  readonly existing?: IncomingRecord;
  /** When the document comes by forwarding: the forwarding organisation's record. */
  readonly forwardedFrom?: IncomingRecord;
}

/**
 * Delivers a sent document to one recipient: its record starts ARRIVED. `actor` is who delivers it (the
 * sender's clerk, or the forwarding organisation's clerk or leader); delivery to many recipients is one call
 * per recipient, so that the caller can fan out beyond one transaction.
 */
export function arriveIncoming(
  doc: OutgoingDocument,
  recipientOrgId: string,
  actor: Actor,
  now: Date,
  ctx: IncomingContext,
  options: ArrivalOptions = {},
): Decision<IncomingRecord> {
  const { forwardedFrom, existing } = options;
  const deliverer = forwardedFrom ? forwardedFrom.orgId : doc.orgId;
  requireRole(actor, 'arrive', ['clerk', 'leader']);
  requireMember(actor, 'arrive', deliverer, ctx.directory.get(deliverer).name);
  if (doc.state !== 'SENT' && doc.state !== 'ARCHIVED')
    throw new DomainError('incoming_source_not_sent', 409, outgoingStateParams(doc.state));
  const recipient = ctx.directory.get(recipientOrgId);
  if (existing) throw new DomainError('incoming_exists', 409, { orgName: recipient.name });
  let purpose = doc.recipients.find((r) => r.orgId === recipientOrgId)?.purpose;
  if (forwardedFrom) {
    const forwarded =
      forwardedFrom.documentId === doc.id &&
      forwardedFrom.state === 'FORWARDED' &&
      (forwardedFrom.forwardedTo ?? []).includes(recipientOrgId);
    purpose = forwarded ? 'action' : undefined;
  }
  if (!purpose || !doc.symbol || !doc.issuedOn)
    throw new DomainError('incoming_not_addressed', 422, { orgName: recipient.name });
  const events = drafts(
    { documentId: doc.id, orgId: recipientOrgId, documentSha256: doc.documentSha256 },
    actor,
    now,
    [
      {
        type: 'arrived',
        payload: {
          senderOrgId: doc.orgId,
          purpose,
          forwardedBy: forwardedFrom?.orgId,
          typeId: doc.typeId,
          subject: doc.subject,
          symbol: doc.symbol,
          issuedOn: doc.issuedOn,
          urgency: doc.urgency,
          deliverBy: doc.deliverBy,
          dueDate: doc.dueDate,
          ...(doc.amends ? { amends: doc.amends } : {}),
        },
      },
    ],
  );
  return { state: applyAll(undefined, events), events };
}

/**
 * Decides a command on an incoming record: the new state and the events to append, or a DomainError
 * (409 wrong state, 403 not allowed, 422 invalid).
 */
export function decideIncoming(
  record: IncomingRecord,
  command: IncomingCommand,
  actor: Actor,
  now: Date,
  ctx: IncomingContext,
): Decision<IncomingRecord> {
  const action = ACTIONS[command.type];
  const rule = INCOMING_RULES[command.type];
  requireRole(actor, action, rule.roles);
  if (command.type === 'recall') {
    if (actor.position.orgId !== record.senderOrgId)
      throw forbidden('forbidden_not_sender', action, {
        orgName: ctx.directory.get(record.senderOrgId).name,
      });
  } else requireMember(actor, action, record.orgId, ctx.directory.get(record.orgId).name);
  if (!rule.from.includes(record.state))
    throw new DomainError(WRONG_STATE[command.type], 409, incomingStateParams(record.state));

  let body: EventBody;
  let series: NumberingSeries | undefined;
  switch (command.type) {
    case 'return':
      body = { type: 'returned-to-sender', payload: { reason: command.reason } };
      break;
    case 'register': {
      if (!command.signatureCheck.valid)
        throw new DomainError('incoming_signatures_invalid', 422, {
          detail: command.signatureCheck.detail ?? '',
        });
      const allocation = allocateNumber(ctx.arrivalSeries, record.orgId, 'arrival', now);
      series = allocation.series;
      body = {
        type: 'registered',
        payload: {
          arrivalNumber: allocation.number,
          year: allocation.year,
          seriesKey: allocation.series.key,
          // Only a valid check gets here: the record keeps that it was checked and passed.
          signatureCheck: { valid: command.signatureCheck.valid },
        },
      };
      break;
    }
    case 'present':
      body = { type: 'presented', payload: { toPersonId: command.toPersonId } };
      break;
    case 'assign': {
      const { type: _type, ...assignment } = command;
      if (assignment.deadline && assignment.deadline < vietnamCalendarDate(now))
        throw invalid('invalid_deadline_passed', { deadline: assignment.deadline });
      body = { type: 'assigned', payload: { assignment } };
      break;
    }
    case 'reassign': {
      // A unit head (trưởng phòng) re-assigns only what was given to their unit.
      const unit = actor.position.unitCode;
      const lead = record.assignment?.lead;
      const current = currentHandler(record);
      const ofUnit = (a: Assignee | undefined) => a?.kind === 'unit' && a.unitCode === unit;
      if (unit !== undefined && !ofUnit(lead) && !ofUnit(current))
        throw forbidden('forbidden_other_unit', action, {
          unitCode: lead?.kind === 'unit' ? lead.unitCode : '—',
        });
      if (command.deadline && command.deadline < vietnamCalendarDate(now))
        throw invalid('invalid_deadline_passed', { deadline: command.deadline });
      body = {
        type: 'reassigned',
        payload: { handler: command.handler, deadline: command.deadline, note: command.note },
      };
      break;
    }
    case 'start':
      if (!isHandler(actor, currentHandler(record))) throw forbidden('forbidden_not_handler', action);
      body = { type: 'started', payload: {} };
      break;
    case 'resolve':
      if (!isHandler(actor, currentHandler(record)) && !isOrganisationLeader(actor, record.orgId))
        throw forbidden('forbidden_not_handler', action);
      body = { type: 'resolved', payload: { replyDocumentId: command.replyDocumentId, note: command.note } };
      break;
    case 'forward': {
      const to = resolveRecipients(ctx.directory, record.orgId, command.to, 'to');
      const back = to.find((id) => id === record.senderOrgId || id === record.forwardedBy);
      if (back)
        throw new DomainError('forward_target_invalid', 422, {
          orgName: ctx.directory.get(back).name,
          field: 'to',
        });
      body = { type: 'forwarded', payload: { to, note: command.note } };
      break;
    }
    case 'recall':
      body = { type: 'delivery-recalled', payload: { reason: command.reason } };
      break;
  }
  const events = drafts(record, actor, now, [body]);
  const state = applyAll(record, events);
  return series ? { state, events, series } : { state, events };
}

/**
 * A record with what the person who left had to do on it given to their successor: presented to them, handled
 * by them, supporting or informed. The assignment's lead stays as the leader wrote it (the handler is who
 * handles it now).
 */
function handOverRecord(record: IncomingRecord, from: string, to: string): IncomingRecord {
  const swap = (a: Assignee): Assignee =>
    a.kind === 'person' && a.personId === from ? { kind: 'person', personId: to } : a;
  const handler = currentHandler(record);
  const { assignment } = record;
  return {
    ...record,
    ...(record.presentedTo === from ? { presentedTo: to } : {}),
    ...(handler?.kind === 'person' && handler.personId === from
      ? { handler: { kind: 'person' as const, personId: to } }
      : {}),
    ...(assignment
      ? {
          assignment: {
            ...assignment,
            supporting: assignment.supporting.map(swap),
            forInformation: assignment.forInformation.map(swap),
          },
        }
      : {}),
  };
}

/**
 * Applies one event to a recipient's record. Events of other organisations and outgoing events leave it
 * unchanged; the projection routes each incoming event to the record of its `orgId`.
 */
export function evolveIncoming(
  record: IncomingRecord | undefined,
  event: EventDraft,
): IncomingRecord | undefined {
  if (!isIncomingEventType(event.type)) return record;
  if (record && record.orgId !== event.orgId) return record;
  if (event.type === 'arrived') {
    if (record) throw new Error(`document ${event.documentId} arrived twice at ${event.orgId}`);
    return {
      ...event.payload,
      documentId: event.documentId,
      orgId: event.orgId,
      state: 'ARRIVED',
      documentSha256: event.documentSha256,
      arrivedAt: event.at,
      updatedAt: event.at,
      version: 1,
    };
  }
  if (!record)
    throw new Error(`event ${event.type} before the document ${event.documentId} arrived at ${event.orgId}`);
  const base: IncomingRecord = { ...record, updatedAt: event.at, version: record.version + 1 };
  switch (event.type) {
    case 'returned-to-sender':
      return { ...base, state: 'RETURNED', returnReason: event.payload.reason, returnedAt: event.at };
    case 'registered':
      return {
        ...base,
        state: 'REGISTERED',
        arrivalNumber: event.payload.arrivalNumber,
        arrivalYear: event.payload.year,
        registeredAt: event.at,
      };
    case 'presented':
      return { ...base, state: 'PRESENTED', presentedTo: event.payload.toPersonId, presentedAt: event.at };
    case 'assigned':
      return {
        ...base,
        state: 'ASSIGNED',
        assignment: event.payload.assignment,
        assignedBy: event.actor.userId,
        assignedAt: event.at,
      };
    case 'reassigned':
      return { ...base, handler: event.payload.handler, handlerDeadline: event.payload.deadline };
    case 'started':
      return { ...base, state: 'IN_PROGRESS', startedAt: event.at };
    case 'resolved':
      return {
        ...base,
        state: 'RESOLVED',
        resolvedAt: event.at,
        replyDocumentId: event.payload.replyDocumentId,
        resolutionNote: event.payload.note,
      };
    case 'forwarded':
      return { ...base, state: 'FORWARDED', forwardedTo: event.payload.to, forwardedAt: event.at };
    case 'delivery-recalled':
      return { ...base, state: 'RECALLED', recallReason: event.payload.reason, recalledAt: event.at };
    case 'duties-handed-over':
      return handOverRecord(base, event.payload.fromPersonId, event.payload.toPersonId);
    case 'registration-reminded':
      // A step of the sender's on the record: nothing of the recipient's changes but its version.
      return { ...record, version: base.version };
    default:
      return record;
  }
}
