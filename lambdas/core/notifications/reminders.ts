import * as z from 'zod';
import { hanoiInstant, type WorkingCalendar } from '../calendar/working-days';
import type { Directory, Person } from '../domain/directory';
import { isOrganisationLeader } from '../domain/directory';
import { currentHandler, type IncomingRecord } from '../domain/incoming';
import { accessOf } from '../domain/visibility';
import {
  assigneePeople,
  clerksOf,
  type NotificationFacts,
  type NotificationKind,
  type NotificationTarget,
} from './rules';

/*
 * Reminders and escalation, decided from the recipient's record and the working calendar alone.
 *
 * A handling deadline (the inner one given on re-assignment, else the assignment's, else the sender's due
 * date) has three stages, each at the start of work (08:00 Hà Nội): `soon`, a configurable number of working
 * days before it, to the handler; `today`, on the day, to the handler; `overdue`, on the next working day
 * after it, to the handler and the leader who assigned it. A Hỏa tốc hẹn giờ document still not received
 * (ARRIVED) at its deliver-by time escalates to the recipient's clerks and leaders (`not-opened`).
 *
 * A watch names the next stage to look at for one record. The sweep takes the watches whose time came,
 * re-reads the record, fires the latest stage that is due (a sweep that comes late does not send the earlier
 * ones as well), and leaves a watch for the stage after it. A record resolved, forwarded or recalled, or
 * whose deadline changed, ends its watch: the change of deadline started a new one.
 */

export const REMINDER_STAGES = ['soon', 'today', 'overdue', 'not-opened'] as const;
export const ReminderStageSchema = z.enum(REMINDER_STAGES);
export type ReminderStage = z.infer<typeof ReminderStageSchema>;

export const ReminderWatchSchema = z.object({
  documentId: z.string().min(1),
  /** The recipient organisation whose record is watched. */
  orgId: z.string().min(1),
  /** The deadline (a calendar date) or, for `not-opened`, the deliver-by instant the watch is for. */
  due: z.string().min(1),
  stage: ReminderStageSchema,
  /** When the stage is due. */
  at: z.string().min(1),
});
export type ReminderWatch = z.infer<typeof ReminderWatchSchema>;

export interface ReminderSettings {
  /** Working days before the deadline for the `soon` reminder; 0: none. */
  readonly daysBefore: number;
  /** The Hà Nội hour reminders of a day go out (the start of work). */
  readonly hour: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { daysBefore: 1, hour: 8 };

const KIND: Record<ReminderStage, NotificationKind> = {
  soon: 'deadline-soon',
  today: 'deadline-today',
  overdue: 'overdue',
  'not-opened': 'not-opened',
};

const OPEN = new Set(['ASSIGNED', 'IN_PROGRESS']);

/** The handling deadline that counts for the record now. */
export const handlingDeadline = (record: IncomingRecord): string | undefined =>
  record.handlerDeadline ?? record.assignment?.deadline ?? record.dueDate;

/** A deadline's stages and their times, in order. */
export function deadlineStages(
  deadline: string,
  calendar: WorkingCalendar,
  settings: ReminderSettings,
): { stage: ReminderStage; at: string }[] {
  return [
    ...(settings.daysBefore > 0
      ? [
          {
            stage: 'soon' as const,
            at: hanoiInstant(calendar.addWorkingDays(deadline, -settings.daysBefore), settings.hour),
          },
        ]
      : []),
    { stage: 'today' as const, at: hanoiInstant(deadline, settings.hour) },
    { stage: 'overdue' as const, at: hanoiInstant(calendar.addWorkingDays(deadline, 1), settings.hour) },
  ];
}

/**
 * The watch a record needs after an assignment, a re-assignment or an arrival, if any: the first stage
 * still ahead (the overdue stage even when it has passed: a deadline given in the past is overdue now).
 */
export function watchFor(
  record: IncomingRecord,
  now: Date,
  calendar: WorkingCalendar,
  settings: ReminderSettings,
): ReminderWatch | undefined {
  const base = { documentId: record.documentId, orgId: record.orgId };
  if (record.state === 'ARRIVED') {
    if (record.urgency !== 'flash-timed' || !record.deliverBy) return undefined;
    return { ...base, due: record.deliverBy, stage: 'not-opened', at: record.deliverBy };
  }
  const deadline = handlingDeadline(record);
  if (!deadline || !OPEN.has(record.state)) return undefined;
  const stages = deadlineStages(deadline, calendar, settings);
  const next = stages.find((s) => s.at > now.toISOString()) ?? stages.at(-1);
  return next ? { ...base, due: deadline, ...next } : undefined;
}

export interface ReminderDecision {
  /** The stage to tell people of now. */
  readonly fire?: ReminderStage;
  /** The watch for the stage after it. */
  readonly next?: ReminderWatch;
}

/** What a watch whose time came does, given the record as it is now. */
export function decideReminder(
  watch: ReminderWatch,
  record: IncomingRecord | undefined,
  at: Date,
  calendar: WorkingCalendar,
  settings: ReminderSettings,
): ReminderDecision {
  if (!record) return {};
  if (watch.stage === 'not-opened')
    return record.state === 'ARRIVED' && record.deliverBy === watch.due ? { fire: 'not-opened' } : {};
  if (!OPEN.has(record.state) || handlingDeadline(record) !== watch.due) return {};
  const stages = deadlineStages(watch.due, calendar, settings);
  const from = Math.max(
    0,
    stages.findIndex((s) => s.stage === watch.stage),
  );
  let fire = -1;
  for (let i = from; i < stages.length; i++) if ((stages[i]?.at ?? '') <= at.toISOString()) fire = i;
  // The calendar changed since (a day swapped): the stage is now later; watch it at its new time.
  if (fire < 0) return stages[from] ? { next: { ...watch, ...stages[from] } } : {};
  const next = stages[fire + 1];
  return {
    fire: stages[fire]?.stage,
    ...(next ? { next: { ...watch, ...next } } : {}),
  };
}

/**
 * Who is reminded at a stage: the handler (the person, or the members of the unit); when overdue, the
 * leader who assigned it too; a Hỏa tốc hẹn giờ not received, the recipient's clerks and leaders. Each must
 * be of the recipient organisation and allowed to see the document now, as for every notification.
 */
export function reminderTargets(
  stage: ReminderStage,
  watch: ReminderWatch,
  record: IncomingRecord,
  people: readonly Person[],
  directory: Directory,
): NotificationTarget[] {
  const orgId = record.orgId;
  const handler = currentHandler(record);
  const chosen =
    stage === 'not-opened'
      ? [...clerksOf(orgId, people), ...people.filter((p) => isOrganisationLeader(p, orgId))]
      : [
          ...(handler ? assigneePeople(handler, orgId, people) : []),
          ...(stage === 'overdue' ? people.filter((p) => p.id === record.assignedBy) : []),
        ];
  const facts: NotificationFacts = {
    documentId: record.documentId,
    seq: 1,
    at: watch.at,
    kind: KIND[stage],
    reminder: `${stage}:${watch.due}`,
    symbol: record.symbol,
    subject: record.subject,
    urgency: record.urgency,
    senderOrgId: record.senderOrgId,
    ...(stage !== 'not-opened' ? { dueDate: watch.due } : {}),
    ...(record.deliverBy ? { deliverBy: record.deliverBy } : {}),
  };
  const seen = new Set<string>();
  const targets: NotificationTarget[] = [];
  for (const person of chosen) {
    if (seen.has(person.id) || person.position.orgId !== orgId) continue;
    if (!accessOf({ actor: { ...person, delegations: [] }, directory }, { incoming: [{ orgId }] })) continue;
    seen.add(person.id);
    targets.push({ person, facts });
  }
  return targets;
}

/** How long a record is overdue on a date, in working days (0: not overdue). */
export function overdueWorkingDays(record: IncomingRecord, today: string, calendar: WorkingCalendar): number {
  const deadline = handlingDeadline(record);
  if (!deadline || !OPEN.has(record.state) || today <= deadline) return 0;
  return Math.max(1, calendar.workingDaysBetween(deadline, today));
}

/** The settings a deployment gives (DOCFLOW_REMINDER_DAYS_BEFORE), the defaults otherwise. */
export function reminderSettingsFrom(daysBefore: string | undefined): ReminderSettings {
  const days = Number(daysBefore);
  return daysBefore !== undefined && Number.isInteger(days) && days >= 0 && days <= 20
    ? { ...DEFAULT_REMINDER_SETTINGS, daysBefore: days }
    : DEFAULT_REMINDER_SETTINGS;
}

// --- The sender's reminder to register ------------------------------------------------------------------------

/** How often one recipient may be reminded of one document by its sender. */
export const RECIPIENT_REMINDER_INTERVAL_MS = 3_600_000;

/**
 * Who a sender's reminder reaches: the clerks of the recipient (who register what arrives), each allowed to
 * see the document now, as for every notification. `at` names the reminder: another one later is another
 * notification.
 */
export function registrationReminderTargets(
  record: IncomingRecord,
  at: string,
  people: readonly Person[],
  directory: Directory,
): NotificationTarget[] {
  const orgId = record.orgId;
  const facts: NotificationFacts = {
    documentId: record.documentId,
    seq: 1,
    at,
    kind: 'registration-reminder',
    reminder: `registration:${at}`,
    symbol: record.symbol,
    subject: record.subject,
    urgency: record.urgency,
    senderOrgId: record.senderOrgId,
    ...(record.dueDate ? { dueDate: record.dueDate } : {}),
    ...(record.deliverBy ? { deliverBy: record.deliverBy } : {}),
  };
  return clerksOf(orgId, people)
    .filter((person) =>
      accessOf({ actor: { ...person, delegations: [] }, directory }, { incoming: [{ orgId }] }),
    )
    .map((person) => ({ person, facts }));
}
