import { vietnamCalendar, type WorkingCalendar } from '../core/calendar/working-days';
import type { Caller } from '../core/domain/caller';
import type { Directory } from '../core/domain/directory';
import { INCOMING_EVENT_TYPES } from '../core/domain/events';
import type { Language } from '../core/i18n/catalogue';
import type { CirculationEvent } from '../core/log/event';
import {
  composeEmail,
  defaultPreferences,
  mimeMessage,
  type NotificationPreferences,
  notificationMessageId,
  notificationTitle,
  wantsEmail,
} from '../core/notifications/email';
import {
  DEFAULT_REMINDER_SETTINGS,
  decideReminder,
  type ReminderSettings,
  reminderTargets,
  watchFor,
} from '../core/notifications/reminders';
import {
  type DocumentState,
  type NotificationFacts,
  type NotificationTarget,
  notificationsFor,
} from '../core/notifications/rules';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';
import type {
  EmailSender,
  LiveConnections,
  NotificationStore,
  ReminderWatches,
  StoredNotification,
} from '../ports/notifications';

/*
 * Notifications: the notifier turns each event of the circulation log (fed by its stream) into the
 * notifications it makes and the e-mails people chose; people read their list and mark it read.
 *
 * Nothing lost, nothing twice: a notification is added with a condition (an event seen again adds nothing),
 * and an e-mail is sent only if its record says it was not sent yet, and recorded as soon as it was. A
 * failure part-way fails the event, which the stream gives again: what was done is skipped, the rest done.
 * The one window left is a crash between the mail server's acceptance and the record; the resent message
 * then has the same Message-ID, which mail clients fold into one.
 */

export interface EmailSettings {
  readonly sender: EmailSender;
  /** `docflow <no-reply@…>` */
  readonly from: string;
  /** The web inbox's address, for the link. */
  readonly webUrl: string;
}

export interface NotifierPorts {
  readonly documents: Pick<DocumentRepository, 'read'>;
  readonly directory: Pick<DirectoryRepository, 'loadDirectory' | 'listPeople'>;
  readonly notifications: NotificationStore;
  /** Without it (no sender address configured) notifications stay in the lists. */
  readonly email?: EmailSettings;
  /** Open inboxes to tell that something changed (best effort). */
  readonly live?: Pick<LiveConnections, 'push'>;
  /** Where deadlines are watched for reminders (without it, none are). */
  readonly watches?: Pick<ReminderWatches, 'put'>;
  readonly reminders?: ReminderSettings;
  readonly calendar?: WorkingCalendar;
  now(): Date;
}

const INCOMING = new Set<string>(INCOMING_EVENT_TYPES);

/** What names a notification's e-mail record: its event, and for a reminder its stage and deadline. */
export const notificationId = (facts: Pick<NotificationFacts, 'documentId' | 'seq' | 'reminder'>) =>
  `${facts.documentId}#${facts.seq}${facts.reminder ? `#${facts.reminder}` : ''}`;

/** Events after which a record may need a reminder watch: an arrival (Hỏa tốc hẹn giờ), an assignment. */
const WATCHED = new Set(['arrived', 'assigned', 'reassigned']);

export interface NotifyResult {
  readonly notified: number;
  readonly emailed: number;
}

/** The notifications and e-mails one event makes; safe to run again for the same event. */
export async function notifyEvent(ports: NotifierPorts, event: CirculationEvent): Promise<NotifyResult> {
  const [directory, people, snapshot] = await Promise.all([
    ports.directory.loadDirectory(),
    ports.directory.listPeople(),
    ports.documents.read(event.documentId),
  ]);
  const state: DocumentState = INCOMING.has(event.type)
    ? { incoming: snapshot.incoming.find((r) => r.orgId === event.orgId) }
    : { document: snapshot.document };
  const targets = notificationsFor(event, state, people, directory);
  if (ports.watches && state.incoming && WATCHED.has(event.type)) {
    const watch = watchFor(
      state.incoming,
      new Date(event.at),
      ports.calendar ?? vietnamCalendar,
      ports.reminders ?? DEFAULT_REMINDER_SETTINGS,
    );
    if (watch) await ports.watches.put(watch);
  }
  // Lists first, so that an inbox told of the change finds the notification too.
  await Promise.all(targets.map(({ person, facts }) => ports.notifications.add(person.id, facts)));
  // The organisations whose folders changed: the event's, and for a recipient's step the sender's (its
  // deliveries); both may see the document.
  const orgs = [event.orgId, ...(state.incoming ? [state.incoming.senderOrgId] : [])];
  await ports.live
    ?.push(orgs, { type: 'changed', documentId: event.documentId, at: event.at })
    .catch(() => 0);
  if (targets.length === 0) return { notified: 0, emailed: 0 };
  const emailed = await sendEmails(ports, targets, directory);
  return { notified: targets.length, emailed };
}

/**
 * The e-mails of these notifications that their owners chose and that were not sent yet (the notifier, the
 * sweep, the sender's reminders to register). Everyone concerned
 * at once (Hỏa tốc: the clerk and the leader together); each one's failure is its own, and the whole fails
 * (to be given again) only after the others were done.
 */
export async function sendEmails(
  ports: Pick<NotifierPorts, 'email' | 'notifications' | 'now'>,
  targets: readonly NotificationTarget[],
  directory: Directory,
): Promise<number> {
  const email = ports.email;
  if (!email) return 0;
  const senderName = (orgId: string) => directory.find(orgId)?.name ?? orgId;
  let emailed = 0;
  const one = async ({ person, facts }: NotificationTarget) => {
    const preferences =
      (await ports.notifications.preferences(person.id)) ?? defaultPreferences(person.position.role);
    if (!wantsEmail(preferences, facts) || !preferences.email) return;
    const id = notificationId(facts);
    if (await ports.notifications.emailSent(person.id, id)) return;
    const composed = composeEmail({
      facts,
      recipientName: person.name,
      language: preferences.language,
      webUrl: email.webUrl,
      senderName,
    });
    const domain = email.from.replace(/.*@/, '').replace(/>.*$/, '') || 'docflow';
    await email.sender.send({
      from: email.from,
      to: preferences.email,
      raw: mimeMessage({
        from: email.from,
        to: preferences.email,
        subject: composed.subject,
        text: composed.text,
        messageId: notificationMessageId(person.id, facts, domain),
        date: ports.now(),
        language: preferences.language,
      }),
    });
    await ports.notifications.recordEmailSent(person.id, id, ports.now().toISOString());
    emailed++;
  };
  const results = await Promise.allSettled(targets.map(one));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return emailed;
}

// --- Reminders ----------------------------------------------------------------------------------------------

/*
 * Why one periodic sweep rather than an EventBridge Scheduler `at()` schedule per deadline: the stages of a
 * deadline hang on the working calendar, which is data that changes (a swap of days decided after the
 * assignment); a sweep computes each stage with the calendar of the day it runs, where a one-off schedule
 * would keep the time computed when it was made. Deadlines also move (re-assignment) and end (resolved,
 * forwarded, recalled) far more often than they fire: the sweep re-reads the record and drops what no longer
 * applies, instead of keeping thousands of schedules in step with the log (and cleaning up the ones a crash
 * left behind). The cost is one query of the watches due, every quarter of an hour: a reminder is at most
 * that late, for reminders whose unit is the working day.
 */

export interface ReminderSweepPorts {
  readonly documents: Pick<DocumentRepository, 'read'>;
  readonly directory: Pick<DirectoryRepository, 'loadDirectory' | 'listPeople'>;
  readonly notifications: NotificationStore;
  readonly watches: ReminderWatches;
  readonly email?: EmailSettings;
  readonly reminders?: ReminderSettings;
  readonly calendar?: WorkingCalendar;
  now(): Date;
}

export interface SweepResult {
  readonly watches: number;
  readonly reminded: number;
  readonly emailed: number;
  readonly failed: number;
}

/** Watches taken by one sweep: the rest wait for the next one (a quarter of an hour later). */
const SWEEP_LIMIT = 500;

/**
 * The reminders due at `at` (the schedule's time): each watch whose time came is decided on the record as it
 * is now, its people told (lists, then e-mail), the next stage watched, and the watch done with. Safe to
 * run again: a reminder is added once (its key is its stage and deadline), its e-mail sent once; a watch
 * that fails stays for the next sweep.
 */
export async function sweepReminders(ports: ReminderSweepPorts, at: Date): Promise<SweepResult> {
  const due = await ports.watches.due(at.toISOString(), SWEEP_LIMIT);
  if (due.length === 0) return { watches: 0, reminded: 0, emailed: 0, failed: 0 };
  const [directory, people] = await Promise.all([
    ports.directory.loadDirectory(),
    ports.directory.listPeople(),
  ]);
  const calendar = ports.calendar ?? vietnamCalendar;
  const settings = ports.reminders ?? DEFAULT_REMINDER_SETTINGS;
  let reminded = 0;
  let emailed = 0;
  const results = await Promise.allSettled(
    due.map(async (watch) => {
      const snapshot = await ports.documents.read(watch.documentId);
      const record = snapshot.incoming.find((r) => r.orgId === watch.orgId);
      const decision = decideReminder(watch, record, at, calendar, settings);
      if (decision.fire && record) {
        const targets = reminderTargets(decision.fire, watch, record, people, directory);
        await Promise.all(targets.map(({ person, facts }) => ports.notifications.add(person.id, facts)));
        reminded += targets.length;
        emailed += await sendEmails(ports, targets, directory);
      }
      const next = decision.next;
      if (next) await ports.watches.put(next);
      // Put before remove: a crash between leaves both, and the old one decides nothing new next time.
      if (!next || next.at !== watch.at || next.stage !== watch.stage) await ports.watches.remove(watch);
    }),
  );
  const failed = results.filter((r) => r.status === 'rejected').length;
  return { watches: due.length, reminded, emailed, failed };
}

/*
 * A watch is put when the notifier sees an arrival or an assignment. Deadlines set before reminders existed
 * (or whose event the notifier never saw) have none: their watches are derived from the records themselves,
 * every open record of every organisation's incoming folder, as `watchFor` would have made them. Putting a
 * watch that exists changes nothing, and a stage fired twice is one notification (its key is its stage and
 * deadline) and one e-mail: the derivation may run any number of times.
 */

export interface WatchDerivationPorts {
  readonly documents: Pick<DocumentRepository, 'listInbox'>;
  readonly directory: Pick<DirectoryRepository, 'loadDirectory'>;
  readonly watches: Pick<ReminderWatches, 'put'>;
  readonly reminders?: ReminderSettings;
  readonly calendar?: WorkingCalendar;
}

const DERIVE_PAGE = 100;

/** Puts the watch of every record that needs one as of `at`; returns how many records and watches. */
export async function deriveReminderWatches(
  ports: WatchDerivationPorts,
  at: Date,
): Promise<{ records: number; watches: number }> {
  const directory = await ports.directory.loadDirectory();
  const calendar = ports.calendar ?? vietnamCalendar;
  const settings = ports.reminders ?? DEFAULT_REMINDER_SETTINGS;
  let records = 0;
  let watches = 0;
  for (const org of directory.organisations) {
    let cursor: string | undefined;
    do {
      const page = await ports.documents.listInbox(`${org.id}#incoming`, DERIVE_PAGE, cursor);
      for (const entry of page.items) {
        if (entry.kind !== 'incoming') continue;
        records++;
        const watch = watchFor(entry.record, at, calendar, settings);
        if (!watch) continue;
        await ports.watches.put(watch);
        watches++;
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return { records, watches };
}

/** Whether a sweep at `at` also derives the watches: once a day, the hour before reminders go out. */
export function derivesWatchesAt(at: Date, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): boolean {
  const hanoiHour = (at.getUTCHours() + 7) % 24;
  return hanoiHour === (settings.hour + 23) % 24 && at.getUTCMinutes() < 15;
}

// --- The person's side --------------------------------------------------------------------------------------

export interface NotificationsPorts {
  readonly notifications: NotificationStore;
}

export interface NotificationListItem extends StoredNotification {
  /** The notification's line, in the reader's language. */
  readonly title: string;
  readonly read: boolean;
}

export async function listNotifications(
  ports: NotificationsPorts,
  caller: Caller,
  language: Language,
  limit: number,
): Promise<{ items: NotificationListItem[]; unread: number }> {
  const [items, unread] = await Promise.all([
    ports.notifications.list(caller.actor.id, limit),
    ports.notifications.unreadCount(caller.actor.id),
  ]);
  const senderName = (orgId: string) => caller.directory.find(orgId)?.name ?? orgId;
  return {
    items: items.map((n) => ({
      ...n,
      title: notificationTitle(n, language, senderName),
      read: n.readAt !== undefined,
    })),
    unread,
  };
}

export async function markNotificationsRead(
  ports: NotificationsPorts & { now(): Date },
  caller: Caller,
  ids: readonly string[] | undefined,
): Promise<{ marked: number; unread: number }> {
  const marked = await ports.notifications.markRead(caller.actor.id, ids, ports.now().toISOString());
  return { marked, unread: await ports.notifications.unreadCount(caller.actor.id) };
}

export async function notificationPreferences(
  ports: NotificationsPorts,
  caller: Caller,
): Promise<NotificationPreferences> {
  return (
    (await ports.notifications.preferences(caller.actor.id)) ?? defaultPreferences(caller.actor.position.role)
  );
}

export async function saveNotificationPreferences(
  ports: NotificationsPorts,
  caller: Caller,
  preferences: NotificationPreferences,
): Promise<NotificationPreferences> {
  await ports.notifications.savePreferences(caller.actor.id, preferences);
  return preferences;
}
