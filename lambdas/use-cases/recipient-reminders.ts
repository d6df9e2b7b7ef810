import { eventActor } from '../core/domain/actor';
import type { Caller } from '../core/domain/caller';
import type { EventDraft } from '../core/domain/events';
import { evolveIncoming, type IncomingRecord } from '../core/domain/incoming';
import { assertVisible } from '../core/domain/visibility';
import { recipientReminderError } from '../core/i18n/recipient-reminders';
import { prepareChange } from '../core/log/change';
import { hanoiTime } from '../core/notifications/email';
import { RECIPIENT_REMINDER_INTERVAL_MS, registrationReminderTargets } from '../core/notifications/reminders';
import type { DirectoryRepository } from '../ports/directory';
import type { DocumentRepository } from '../ports/documents';
import type { RecipientReminderLog } from '../ports/notifications';
import { assertWriter, logDecision, withRetries } from './context';

/*
 * The sender of a document reminds the recipients that have not registered it yet, in one action: a
 * `registration-reminded` event per chosen recipient is appended to the document's log (so the timeline
 * shows it, in the hash chain), and the notifier, fed by the log's stream as for every event, gives each
 * recipient's clerks a notification in their list and the e-mail they chose (retried if refused). All or nothing as to whom: a
 * choice that names an organisation that is no recipient, one that no longer waits (registered, refused,
 * recalled), or one reminded within the interval refuses the whole action, naming them, and changes nothing.
 */

export interface RecipientReminderPorts {
  readonly documents: Pick<DocumentRepository, 'read' | 'commit'>;
  readonly directory: Pick<DirectoryRepository, 'loadDirectory' | 'listPeople'>;
  readonly reminded: RecipientReminderLog;
  now(): Date;
}

export interface RecipientReminderResult {
  /** Each recipient reminded, with how many of its clerks the notifier is to tell. */
  readonly reminded: readonly { readonly orgId: string; readonly clerks: number }[];
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
    return {
      orgId: id,
      clerks: record ? registrationReminderTargets(record, at, people, directory).length : 0,
    };
  });
  // One event per recipient in the log (its timeline, its hash chain), which the notifier delivers: lists
  // and e-mail as the clerks chose, a refused e-mail retried from the stream like any other.
  try {
    await withRetries(async () => {
      const current = await ports.documents.read(documentId);
      const waiting = current.incoming.filter((r) => chosen.includes(r.orgId));
      const moved = waiting.filter((r) => !WAITING.has(r.state)).map((r) => r.orgId);
      if (moved.length > 0)
        throw recipientReminderError('recipient_reminder_not_waiting', 422, { names: names(moved) });
      const events: EventDraft[] = waiting.map((r) => ({
        documentId,
        at,
        actor: eventActor(caller.actor),
        orgId: r.orgId,
        documentSha256: r.documentSha256,
        type: 'registration-reminded',
        payload: {},
      }));
      await ports.documents.commit(
        prepareChange({
          documentId,
          head: current.head,
          events,
          incoming: waiting.map((before) => ({
            before,
            after: events.reduce<IncomingRecord>(
              (record, event) => evolveIncoming(record, event) ?? record,
              before,
            ),
          })),
        }),
      );
      logDecision(caller, documentId, events);
    });
  } catch (error) {
    await Promise.all(chosen.map((id) => ports.reminded.release(documentId, id, at)));
    throw error;
  }
  return { reminded: perOrg, at };
}
