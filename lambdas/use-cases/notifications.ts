import type { Caller } from '../core/domain/caller';
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
import { type DocumentState, notificationsFor } from '../core/notifications/rules';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';
import type {
  EmailSender,
  LiveConnections,
  NotificationStore,
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
  now(): Date;
}

const INCOMING = new Set<string>(INCOMING_EVENT_TYPES);

export const notificationId = (documentId: string, seq: number) => `${documentId}#${seq}`;

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
  // Lists first, so that an inbox told of the change finds the notification too.
  await Promise.all(targets.map(({ person, facts }) => ports.notifications.add(person.id, facts)));
  // The organisations whose folders changed: the event's, and for a recipient's step the sender's (its
  // deliveries); both may see the document.
  const orgs = [event.orgId, ...(state.incoming ? [state.incoming.senderOrgId] : [])];
  await ports.live
    ?.push(orgs, { type: 'changed', documentId: event.documentId, at: event.at })
    .catch(() => 0);
  if (targets.length === 0) return { notified: 0, emailed: 0 };
  const senderName = (orgId: string) => directory.find(orgId)?.name ?? orgId;
  let emailed = 0;
  const one = async ({ person, facts }: (typeof targets)[number]) => {
    const email = ports.email;
    if (!email) return;
    const preferences =
      (await ports.notifications.preferences(person.id)) ?? defaultPreferences(person.position.role);
    if (!wantsEmail(preferences, facts) || !preferences.email) return;
    const id = notificationId(facts.documentId, facts.seq);
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
  // Everyone concerned at once (Hỏa tốc: the clerk and the leader together); each one's failure is its own,
  // and the event is failed (and given again) only after the others were done.
  const results = await Promise.allSettled(targets.map(one));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { notified: targets.length, emailed };
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
