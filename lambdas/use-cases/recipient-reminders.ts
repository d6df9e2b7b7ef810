import type { Caller } from '../core/domain/caller';
import { assertVisible } from '../core/domain/visibility';
import { recipientReminderError } from '../core/i18n/recipient-reminders';
import { hanoiTime } from '../core/notifications/email';
import { RECIPIENT_REMINDER_INTERVAL_MS, registrationReminderTargets } from '../core/notifications/reminders';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';
import type { NotificationStore, RecipientReminderLog } from '../ports/notifications';
import { assertWriter } from './context';
import { type EmailSettings, sendEmails } from './notifications';

/*
 * The sender of a document reminds the recipients that have not registered it yet, in one action: each
 * chosen recipient's clerks get a notification in their list, and by e-mail as they chose, through the same
 * store and the same sending (with its once-only record) as the notifier's. All or nothing as to whom: a
 * choice that names an organisation that is no recipient, one that no longer waits (registered, refused,
 * recalled), or one reminded within the interval refuses the whole action, naming them, and changes nothing.
 */

export interface RecipientReminderPorts {
  readonly documents: Pick<DocumentRepository, 'read'>;
  readonly directory: Pick<DirectoryRepository, 'loadDirectory' | 'listPeople'>;
  readonly notifications: NotificationStore;
  readonly reminded: RecipientReminderLog;
  readonly email?: EmailSettings;
  now(): Date;
}

export interface RecipientReminderResult {
  readonly reminded: readonly { readonly orgId: string; readonly clerks: number }[];
  readonly emailed: number;
  /** E-mails the mail server did not take (the notifications are in the lists all the same). */
  readonly emailFailed: number;
  readonly at: string;
}

/** Only a record that arrived and waits for its clerk to register it (or refuse it) is reminded. */
const WAITING = new Set(['ARRIVED']);

export async function remindRecipients(
  ports: RecipientReminderPorts,
  caller: Caller,
  documentId: string,
  orgIds: readonly string[],
): Promise<RecipientReminderResult> {
  assertWriter(caller);
  const snapshot = await ports.documents.read(documentId);
  const access = assertVisible(caller, {
    document: snapshot.document,
    upload: snapshot.upload,
    incoming: snapshot.incoming,
  });
  const { orgId, role } = caller.actor.position;
  const document = snapshot.document;
  // The sending organisation's own clerk or leader: not a TL./TUQ. delegate of another organisation.
  if (
    access !== 'sender' ||
    (document && document.orgId !== orgId) ||
    (role !== 'clerk' && role !== 'leader')
  )
    throw recipientReminderError('recipient_reminder_not_sender', 403);
  const directory = await ports.directory.loadDirectory();
  const names = (ids: readonly string[]) => ids.map((id) => directory.find(id)?.name ?? id).join('; ');
  const chosen = [...new Set(orgIds)];
  const records = new Map(snapshot.incoming.map((r) => [r.orgId, r]));
  const strangers = chosen.filter((id) => !records.has(id));
  if (strangers.length > 0)
    throw recipientReminderError('recipient_reminder_not_recipients', 422, { names: names(strangers) });
  const done = chosen.filter((id) => !WAITING.has(records.get(id)?.state ?? ''));
  if (done.length > 0)
    throw recipientReminderError('recipient_reminder_not_waiting', 422, { names: names(done) });

  const now = ports.now();
  const at = now.toISOString();
  const notBefore = new Date(now.getTime() - RECIPIENT_REMINDER_INTERVAL_MS).toISOString();
  const claims = await Promise.all(
    chosen.map(async (id) => ({ id, claim: await ports.reminded.claim(documentId, id, at, notBefore) })),
  );
  const refused = claims.flatMap(({ id, claim }) => (claim.ok ? [] : [{ id, lastAt: claim.lastAt }]));
  if (refused.length > 0) {
    // Nothing is sent unless every one chosen may be reminded: give back the claims just made.
    await Promise.all(
      claims.filter((c) => c.claim.ok).map((c) => ports.reminded.release(documentId, c.id, at)),
    );
    const next = refused
      .map((r) => new Date(new Date(r.lastAt).getTime() + RECIPIENT_REMINDER_INTERVAL_MS).toISOString())
      .sort()
      .at(-1);
    throw recipientReminderError('recipient_reminder_too_soon', 429, {
      names: names(refused.map((r) => r.id)),
      minutes: RECIPIENT_REMINDER_INTERVAL_MS / 60_000,
      time: hanoiTime(next ?? at),
    });
  }
  const people = await ports.directory.listPeople();
  const perOrg = chosen.map((id) => {
    const record = records.get(id);
    return { orgId: id, targets: record ? registrationReminderTargets(record, at, people, directory) : [] };
  });
  const targets = perOrg.flatMap((o) => o.targets);
  try {
    await Promise.all(targets.map(({ person, facts }) => ports.notifications.add(person.id, facts)));
  } catch (error) {
    await Promise.all(chosen.map((id) => ports.reminded.release(documentId, id, at)));
    throw error;
  }
  // The lists hold the reminder: a mail server in trouble does not undo it. Each e-mail on its own, so that
  // the answer says truly how many went and how many could not.
  const sent = await Promise.allSettled(targets.map((target) => sendEmails(ports, [target], directory)));
  const emailed = sent.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  const emailFailed = sent.filter((r) => r.status === 'rejected').length;
  return {
    reminded: perOrg.map((o) => ({ orgId: o.orgId, clerks: o.targets.length })),
    emailed,
    emailFailed,
    at,
  };
}
