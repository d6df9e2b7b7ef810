// Notifications and e-mail from the circulation log's events, against in-memory ports: who is told, what the
// e-mail says, and that a notifier failing part-way loses nothing and sends nothing twice when run again.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { Person } from '../../lambdas/core/domain/directory';
import type { Urgency } from '../../lambdas/core/domain/document-types';
import { verifyChain } from '../../lambdas/core/log/chain';
import type { NotificationPreferences } from '../../lambdas/core/notifications/email';
import type { ReminderWatch } from '../../lambdas/core/notifications/reminders';
import type { NotificationFacts } from '../../lambdas/core/notifications/rules';
import type {
  EmailSender,
  NotificationStore,
  OutgoingEmail,
  RecipientReminderLog,
  ReminderWatches,
  StoredNotification,
} from '../../lambdas/ports/notifications';
import { send } from '../../lambdas/use-cases/delivery';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { assign, reassign, register, resolve, returnDocument } from '../../lambdas/use-cases/incoming';
import { issue as makeIssue, requestIssue } from '../../lambdas/use-cases/issuing';
import {
  deriveReminderWatches,
  derivesWatchesAt,
  listNotifications,
  markNotificationsRead,
  type NotifierPorts,
  notifyEvent,
  sweepReminders,
} from '../../lambdas/use-cases/notifications';
import { overdueDocuments } from '../../lambdas/use-cases/overdue';
import { inbox } from '../../lambdas/use-cases/read/inbox';
import { type RecipientReminderPorts, remindRecipients } from '../../lambdas/use-cases/recipient-reminders';
import { sign as makeSignature, requestSignature } from '../../lambdas/use-cases/signing';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const clerk = callerOf(people.cityClerk);

class MemoryNotifications implements NotificationStore {
  readonly items = new Map<string, Map<string, StoredNotification>>();
  readonly prefs = new Map<string, NotificationPreferences>();
  readonly mails = new Set<string>();
  async add(personId: string, facts: NotificationFacts) {
    const mine = this.items.get(personId) ?? new Map<string, StoredNotification>();
    this.items.set(personId, mine);
    const id = `${facts.at}#${facts.documentId}#${facts.seq}${facts.reminder ? `#${facts.reminder}` : ''}`;
    if (mine.has(id)) return false;
    mine.set(id, { ...facts, id });
    return true;
  }
  async list(personId: string, limit: number) {
    return [...(this.items.get(personId)?.values() ?? [])]
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, limit);
  }
  async unreadCount(personId: string) {
    return [...(this.items.get(personId)?.values() ?? [])].filter((n) => !n.readAt).length;
  }
  async markRead(personId: string, ids: readonly string[] | undefined, at: string) {
    let marked = 0;
    for (const n of this.items.get(personId)?.values() ?? []) {
      if (n.readAt || (ids && !ids.includes(n.id))) continue;
      this.items.get(personId)?.set(n.id, { ...n, readAt: at });
      marked++;
    }
    return marked;
  }
  async preferences(personId: string) {
    return this.prefs.get(personId);
  }
  async savePreferences(personId: string, preferences: NotificationPreferences) {
    this.prefs.set(personId, preferences);
  }
  async emailSent(personId: string, id: string) {
    return this.mails.has(`${personId}/${id}`);
  }
  async recordEmailSent(personId: string, id: string) {
    this.mails.add(`${personId}/${id}`);
  }
}

class MemoryWatches implements ReminderWatches {
  readonly items = new Map<string, ReminderWatch>();
  private key = (w: ReminderWatch) => `${w.at}#${w.orgId}#${w.documentId}#${w.stage}`;
  async put(w: ReminderWatch) {
    this.items.set(this.key(w), w);
  }
  async due(at: string, limit: number) {
    return [...this.items.entries()]
      .filter(([k]) => k <= `${at}$`)
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, limit)
      .map(([, w]) => w);
  }
  async remove(w: ReminderWatch) {
    this.items.delete(this.key(w));
  }
}

/** Collects what was sent; refuses the sends a test names, as a mail server in trouble would. */
class RecordingSender implements EmailSender {
  readonly sent: OutgoingEmail[] = [];
  refuse = new Set<string>();
  async send(email: OutgoingEmail) {
    if (this.refuse.has(email.to)) throw new Error(`451 mailbox of ${email.to} unavailable`);
    this.sent.push(email);
  }
}

async function setup() {
  const ports = await memoryPorts(directory, Object.values(people), NOW);
  const notifications = new MemoryNotifications();
  const sender = new RecordingSender();
  const watches = new MemoryWatches();
  const notifier: NotifierPorts = {
    watches,
    documents: ports.documents,
    directory: { loadDirectory: async () => directory, listPeople: async () => Object.values(people) },
    notifications,
    email: { sender, from: 'docflow <no-reply@docflow.test>', webUrl: 'https://docflow.test' },
    now: () => NOW,
  };
  return { ports, notifications, sender, notifier, watches };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** A city document of this urgency, signed, issued and sent to Ba Đình ward. */
async function sentToWard(
  { ports }: Setup,
  urgency: Urgency,
  subject = 'Về việc phòng chống lụt bão',
  to: readonly string[] = ['phuong-ba-dinh'],
) {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'cong-van',
    subject,
    urgency,
    ...(urgency === 'flash-timed' ? { deliverBy: '2026-01-05T09:00:00.000Z' } : {}),
    recipients: [],
    draftingUnitCode: 'KGVX',
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 NỘI DUNG MẬT'));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  const prepared = await requestSignature(ports, chairman, id, {});
  await authorizeAll(ports, chairman, [prepared.requestId]);
  await makeSignature(ports, chairman, id, prepared.requestId);
  const issue = await requestIssue(ports, clerk, id);
  await authorizeAll(ports, clerk, [issue.requestId]);
  await makeIssue(ports, clerk, id, issue.requestId);
  await send(
    ports,
    clerk,
    id,
    to.map((org) => ({ to: org, purpose: 'action' as const })),
  );
  return id;
}

/** What the stream would carry: every event of the document's log, in order. */
async function playLog(s: Setup, id: string, fromSeq = 1) {
  for (const event of await s.ports.documents.readLog(id))
    if (event.seq >= fromSeq) await notifyEvent(s.notifier, event);
}

const told = (s: Setup, person: Person) => [...(s.notifications.items.get(person.id)?.values() ?? [])];

describe('notifications from the circulation log', () => {
  it('tell the ward clerk of an ordinary arrival, and no one in another organisation', async () => {
    const s = await setup();
    const id = await sentToWard(s, 'normal');
    await playLog(s, id);
    expect(told(s, people.wardClerk)).toEqual([
      expect.objectContaining({ documentId: id, kind: 'arrival', urgency: 'normal', symbol: '01/UBND-KGVX' }),
    ]);
    expect(told(s, people.wardChairman)).toEqual([]);
    expect(told(s, people.deptClerk)).toEqual([]);
    expect(told(s, people.auditor)).toEqual([]);
    // The chairman approved the draft for his own signature: nobody is told of their own act.
    expect(told(s, people.chairman)).toEqual([]);
  });

  it('tell the clerk and the leaders of the recipient at once of a Hỏa tốc document, each in their language', async () => {
    const s = await setup();
    await s.notifications.savePreferences(people.wardClerk.id, {
      email: 'van-thu@ba-dinh.test',
      language: 'vi',
      emailFor: ['arrival'],
    });
    await s.notifications.savePreferences(people.wardChairman.id, {
      email: 'chu-tich@ba-dinh.test',
      language: 'en',
      emailFor: ['urgent'],
    });
    const id = await sentToWard(s, 'flash', 'Về việc ứng phó bão số 3');
    await playLog(s, id);
    expect(told(s, people.wardClerk).map((n) => n.kind)).toEqual(['arrival']);
    expect(told(s, people.wardChairman).map((n) => n.kind)).toEqual(['arrival']);
    expect(told(s, people.wardVice).map((n) => n.kind)).toEqual(['arrival']);
    // A unit's head is not the organisation's leader.
    expect(told(s, people.wardUnitHead)).toEqual([]);
    expect(s.sender.sent.map((m) => m.to).sort()).toEqual(['chu-tich@ba-dinh.test', 'van-thu@ba-dinh.test']);
    const vi = Buffer.from(
      s.sender.sent.find((m) => m.to.startsWith('van-thu'))?.raw ?? '',
      'utf8',
    ).toString();
    const body = (raw: string) =>
      Buffer.from(raw.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString('utf8');
    expect(body(vi)).toContain('Số, ký hiệu: 01/UBND-KGVX');
    expect(body(vi)).toContain('Trích yếu: Về việc ứng phó bão số 3');
    expect(body(vi)).toContain('Độ khẩn: Hỏa tốc');
    expect(body(vi)).toContain(`https://docflow.test/#/doc/${id}`);
    expect(body(vi)).not.toContain('NỘI DUNG MẬT');
    const en = s.sender.sent.find((m) => m.to.startsWith('chu-tich'))?.raw ?? '';
    expect(body(en)).toContain('Urgency: Flash');
    expect(body(en)).toContain('Dear Hoàng Văn Phường,');
    expect(en).toContain('Content-Language: en');
  });

  it('lose nothing and send nothing twice when the notifier fails part-way and the event is given again', async () => {
    const s = await setup();
    for (const [person, email] of [
      [people.wardClerk, 'clerk@ward.test'],
      [people.wardChairman, 'chair@ward.test'],
      [people.wardVice, 'vice@ward.test'],
    ] as const)
      await s.notifications.savePreferences(person.id, {
        email,
        language: 'vi',
        emailFor: ['arrival', 'urgent'],
      });
    const id = await sentToWard(s, 'flash');
    const arrived = (await s.ports.documents.readLog(id)).find((e) => e.type === 'arrived');
    if (!arrived) throw new Error('no arrival');
    s.sender.refuse.add('chair@ward.test');
    await expect(notifyEvent(s.notifier, arrived)).rejects.toThrow(/451/);
    // The others were told and e-mailed; the chairman's notification is in his list, his e-mail not sent.
    expect(s.sender.sent.map((m) => m.to).sort()).toEqual(['clerk@ward.test', 'vice@ward.test']);
    expect(told(s, people.wardChairman)).toHaveLength(1);
    s.sender.refuse.clear();
    await notifyEvent(s.notifier, arrived);
    await notifyEvent(s.notifier, arrived);
    expect(s.sender.sent.map((m) => m.to).sort()).toEqual([
      'chair@ward.test',
      'clerk@ward.test',
      'vice@ward.test',
    ]);
    for (const person of [people.wardClerk, people.wardChairman, people.wardVice])
      expect(told(s, person)).toHaveLength(1);
  });

  it('tell the handler of an assignment, but not once they hold a position elsewhere', async () => {
    const s = await setup();
    const id = await sentToWard(s, 'normal');
    await register(s.ports, callerOf(people.wardClerk), id, undefined);
    await assign(s.ports, callerOf(people.wardChairman), id, {
      lead: people.wardSpecialist.id,
      deadline: '2026-01-20',
      note: 'Đề nghị xử lý',
    });
    const events = await s.ports.documents.readLog(id);
    const assigned = events.find((e) => e.type === 'assigned');
    if (!assigned) throw new Error('no assignment');
    const moved = {
      ...people.wardSpecialist,
      position: { ...people.wardSpecialist.position, orgId: 'so-noi-vu' },
    };
    const elsewhere: NotifierPorts = {
      ...s.notifier,
      directory: {
        loadDirectory: async () => directory,
        listPeople: async () => Object.values(people).map((p) => (p.id === moved.id ? moved : p)),
      },
    };
    await notifyEvent(elsewhere, assigned);
    expect(told(s, people.wardSpecialist)).toEqual([]);
    await notifyEvent(s.notifier, assigned);
    expect(told(s, people.wardSpecialist)).toEqual([
      expect.objectContaining({ kind: 'assignment', dueDate: '2026-01-20' }),
    ]);
  });

  it('list newest first with the unread count, in the reader language, and mark read', async () => {
    const s = await setup();
    const first = await sentToWard(s, 'normal', 'Văn bản thứ nhất');
    s.ports.advance(1);
    const second = await sentToWard(s, 'very-urgent', 'Văn bản thứ hai');
    await playLog(s, first);
    await playLog(s, second);
    const wardClerk = callerOf(people.wardClerk);
    const list = await listNotifications(s.notifier, wardClerk, 'vi', 10);
    expect(list.unread).toBe(2);
    expect(list.items.map((n) => n.documentId)).toEqual([second, first]);
    expect(list.items[0]?.title).toBe(
      '[THƯỢNG KHẨN] Văn bản đến: 02/UBND-KGVX của Ủy ban nhân dân thành phố Hà Nội',
    );
    const en = await listNotifications(s.notifier, wardClerk, 'en', 10);
    expect(en.items[1]?.title).toBe('Incoming document: 01/UBND-KGVX from Ủy ban nhân dân thành phố Hà Nội');
    const marked = await markNotificationsRead({ ...s.notifier, now: () => NOW }, wardClerk, [
      list.items[1]?.id ?? '',
    ]);
    expect(marked).toEqual({ marked: 1, unread: 1 });
    expect(await markNotificationsRead({ ...s.notifier, now: () => NOW }, wardClerk, undefined)).toEqual({
      marked: 1,
      unread: 0,
    });
  });
});

describe('urgency that acts on the order of folders', () => {
  it('puts the documents awaiting action first by urgency, then newest; a handled one falls back in time', async () => {
    const s = await setup();
    const flash = await sentToWard(s, 'flash', 'Hỏa tốc, gửi trước');
    s.ports.advance(1);
    const urgent = await sentToWard(s, 'urgent', 'Khẩn, gửi sau');
    s.ports.advance(1);
    const normal = await sentToWard(s, 'normal', 'Thường, gửi sau cùng');
    s.ports.advance(1);
    const wardClerk = callerOf(people.wardClerk);
    const folder = async () =>
      (await inbox(s.ports, wardClerk, { folder: 'incoming', limit: 25 })).items.map((i) => i.id);
    expect(await folder()).toEqual([flash, urgent, normal]);
    // Returned to the sender, the Hỏa tốc document awaits nothing here any more: it sorts by its activity,
    // which is now the newest.
    await returnDocument(s.ports, wardClerk, flash, 'Gửi nhầm nơi nhận');
    expect(await folder()).toEqual([urgent, flash, normal]);
    // The sender's own folders order the same way: the urgent draft above the ordinary one made after it.
    const city = async () =>
      (await inbox(s.ports, clerk, { folder: 'outgoing', limit: 25 })).items.map((i) => i.id);
    expect(await city()).toEqual([normal, urgent, flash]);
  });
});

describe('reminders and escalation of deadlines', () => {
  /** A ward document assigned to the specialist by the chairman, deadline Tuesday 20 January 2026. */
  async function assigned(s: Setup, deadline = '2026-01-20') {
    const id = await sentToWard(s, 'normal');
    await register(s.ports, callerOf(people.wardClerk), id, undefined);
    await assign(s.ports, callerOf(people.wardChairman), id, {
      lead: people.wardSpecialist.id,
      deadline,
      note: 'Đề nghị xử lý',
    });
    await playLog(s, id);
    return id;
  }
  const sweep = (s: Setup, at: string) => sweepReminders({ ...s.notifier, watches: s.watches }, new Date(at));
  const kinds = (s: Setup, person: Person, id: string) =>
    told(s, person)
      .filter((n) => n.documentId === id && n.reminder)
      .map((n) => n.kind);

  it('remind the handler a working day before and on the day, then the handler and the leader when overdue', async () => {
    const s = await setup();
    await s.notifications.savePreferences(people.wardSpecialist.id, {
      email: 'xu@ward.test',
      language: 'vi',
      emailFor: ['deadline-soon', 'deadline-today', 'overdue'],
    });
    const id = await assigned(s);
    // Nothing before its time: Monday 19 January 07:59 in Hà Nội.
    expect(await sweep(s, '2026-01-19T00:59:00Z')).toMatchObject({ watches: 0 });
    await sweep(s, '2026-01-19T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id)).toEqual(['deadline-soon']);
    await sweep(s, '2026-01-19T09:00:00Z');
    await sweep(s, '2026-01-20T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id).sort()).toEqual(['deadline-soon', 'deadline-today']);
    expect(kinds(s, people.wardChairman, id)).toEqual([]);
    await sweep(s, '2026-01-21T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id)).toContain('overdue');
    expect(kinds(s, people.wardChairman, id)).toEqual(['overdue']);
    expect(s.watches.items.size).toBe(0);
    // Each once, by e-mail too, in Vietnamese with the deadline.
    const mails = s.sender.sent.filter((m) => m.to === 'xu@ward.test').map((m) => m.raw);
    expect(mails).toHaveLength(3);
    const overdue = Buffer.from(
      mails[2]?.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '',
      'base64',
    ).toString();
    expect(overdue).toContain('Hạn xử lý: 20/01/2026');
    // A sweep run again sends nothing more.
    await sweep(s, '2026-01-21T01:00:00Z');
    expect(s.sender.sent.filter((m) => m.to === 'xu@ward.test')).toHaveLength(3);
  });

  it('derive the watch of a deadline set before reminders existed, once however often, and remind from it', async () => {
    const s = await setup();
    const id = await assigned(s);
    const done = await assigned(s, '2026-01-27');
    await resolve(s.ports, callerOf(people.wardSpecialist), done, {});
    const made = [...s.watches.items.values()];
    // As if the assignment came before the notifier kept watches.
    s.watches.items.clear();
    const derive = () =>
      deriveReminderWatches(
        { documents: s.ports.documents, directory: s.notifier.directory, watches: s.watches },
        new Date('2026-01-18T00:00:00Z'),
      );
    expect(await derive()).toMatchObject({ watches: 1 });
    await derive();
    // The resolved one needs none; the open one gets the watch its assignment would have made.
    expect([...s.watches.items.values()]).toEqual(made.filter((w) => w.documentId === id));
    await sweep(s, '2026-01-19T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id)).toEqual(['deadline-soon']);
    // Derived again after it fired: the next stage's watch, nothing told twice.
    await deriveReminderWatches(
      { documents: s.ports.documents, directory: s.notifier.directory, watches: s.watches },
      new Date('2026-01-19T02:00:00Z'),
    );
    await sweep(s, '2026-01-19T09:00:00Z');
    expect(kinds(s, people.wardSpecialist, id)).toEqual(['deadline-soon']);
    await sweep(s, '2026-01-20T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id).sort()).toEqual(['deadline-soon', 'deadline-today']);
    // The daily derivation runs with the sweep of 07:00 in Hà Nội, the hour before reminders.
    expect(derivesWatchesAt(new Date('2026-01-19T00:00:00Z'))).toBe(true);
    expect(derivesWatchesAt(new Date('2026-01-19T00:15:00Z'))).toBe(false);
    expect(derivesWatchesAt(new Date('2026-01-19T01:00:00Z'))).toBe(false);
  });

  it('count working days: the day-before reminder of a deadline after Tết comes before Tết', async () => {
    const s = await setup();
    const id = await assigned(s, '2026-02-23');
    // Friday 13 February 2026, the last working day before Tết Bính Ngọ.
    expect([...s.watches.items.values()]).toEqual([
      expect.objectContaining({ stage: 'soon', at: '2026-02-13T01:00:00.000Z', due: '2026-02-23' }),
    ]);
    await sweep(s, '2026-02-13T01:00:00Z');
    expect(kinds(s, people.wardSpecialist, id)).toEqual(['deadline-soon']);
  });

  it('a sweep that comes late sends the latest stage only; a resolved document is reminded of nothing', async () => {
    const s = await setup();
    const late = await assigned(s);
    await sweep(s, '2026-01-22T03:00:00Z');
    expect(kinds(s, people.wardSpecialist, late)).toEqual(['overdue']);

    const done = await assigned(s, '2026-01-27');
    await resolve(s.ports, callerOf(people.wardSpecialist), done, {});
    await sweep(s, '2026-01-30T03:00:00Z');
    expect(kinds(s, people.wardSpecialist, done)).toEqual([]);
    expect(s.watches.items.size).toBe(0);
  });

  it('follow a re-assignment: the new deadline and the new handler', async () => {
    const s = await setup();
    const id = await assigned(s);
    await reassign(s.ports, callerOf(people.wardChairman), id, {
      handler: people.wardOtherSpecialist.id,
      deadline: '2026-01-23',
    });
    await playLog(s, id);
    await sweep(s, '2026-01-21T01:00:00Z');
    // The first deadline no longer counts: nobody is told it passed.
    expect(kinds(s, people.wardSpecialist, id)).toEqual([]);
    expect(kinds(s, people.wardOtherSpecialist, id)).toEqual([]);
    await sweep(s, '2026-01-23T01:00:00Z');
    expect(kinds(s, people.wardOtherSpecialist, id)).toEqual(['deadline-today']);
    expect(told(s, people.wardOtherSpecialist).find((n) => n.reminder)?.dueDate).toBe('2026-01-23');
  });

  it('escalate a Hỏa tốc hẹn giờ not received by its deliver-by time to the clerk and the leaders', async () => {
    const s = await setup();
    const id = await sentToWard(s, 'flash-timed');
    await playLog(s, id);
    const [watch] = [...s.watches.items.values()];
    expect(watch).toMatchObject({ stage: 'not-opened', documentId: id });
    await sweep(s, watch?.at ?? '');
    expect(kinds(s, people.wardClerk, id)).toEqual(['not-opened']);
    expect(kinds(s, people.wardChairman, id)).toEqual(['not-opened']);
    // Received in time: nothing.
    const received = await sentToWard(s, 'flash-timed');
    await playLog(s, received);
    await register(s.ports, callerOf(people.wardClerk), received, undefined);
    await sweep(s, '2027-01-01T00:00:00Z');
    expect(kinds(s, people.wardClerk, received)).toEqual([]);
  });
});

describe('the overdue view of an organisation', () => {
  it('lists what is past its deadline, with whom, by working days, most overdue first; nothing of others', async () => {
    const s = await setup();
    const assignTo = async (deadline: string) => {
      const id = await sentToWard(s, 'normal');
      await register(s.ports, callerOf(people.wardClerk), id, undefined);
      await assign(s.ports, callerOf(people.wardChairman), id, {
        lead: people.wardSpecialist.id,
        deadline,
        note: 'Đề nghị xử lý',
      });
      return id;
    };
    const late = await assignTo('2026-01-09'); // Friday
    const later = await assignTo('2026-01-14');
    const onTime = await assignTo('2026-01-30');
    const resolved = await assignTo('2026-01-08');
    await resolve(s.ports, callerOf(people.wardSpecialist), resolved, {});
    const view = await overdueDocuments(
      {
        documents: s.ports.documents,
        directory: { listPeople: async () => Object.values(people) },
        now: () => new Date('2026-01-16T03:00:00Z'), // Friday 16 January, Hà Nội
      },
      callerOf(people.wardClerk),
    );
    expect(view.today).toBe('2026-01-16');
    // Past Friday 9 January: Saturday 10 (worked in place of 2 January), 12 to 16.
    expect(view.items.map((i) => [i.documentId, i.overdueDays])).toEqual([
      [late, 6],
      [later, 2],
    ]);
    expect(view.items[0]).toMatchObject({
      deadline: '2026-01-09',
      handler: { kind: 'person', id: people.wardSpecialist.id, name: people.wardSpecialist.name },
      assignedBy: { id: people.wardChairman.id, name: people.wardChairman.name },
    });
    expect(view.items.map((i) => i.documentId)).not.toContain(onTime);
    // The city's clerk sees none of the ward's.
    const city = await overdueDocuments(
      {
        documents: s.ports.documents,
        directory: { listPeople: async () => Object.values(people) },
        now: () => new Date('2026-01-16T03:00:00Z'),
      },
      callerOf(people.cityClerk),
    );
    expect(city.items).toEqual([]);
  });
});

describe("the sender's reminder to recipients that have not registered", () => {
  /** The last reminder of each recipient, as the store keeps it (claim replaces one older than the limit). */
  class MemoryReminded implements RecipientReminderLog {
    readonly last = new Map<string, string>();
    async claim(documentId: string, orgId: string, at: string, notBefore: string) {
      const key = `${documentId}/${orgId}`;
      const lastAt = this.last.get(key);
      if (lastAt && lastAt > notBefore) return { ok: false as const, lastAt };
      this.last.set(key, at);
      return { ok: true as const };
    }
    async release(documentId: string, orgId: string, at: string) {
      if (this.last.get(`${documentId}/${orgId}`) === at) this.last.delete(`${documentId}/${orgId}`);
    }
  }

  async function broadcast() {
    const s = await setup();
    const id = await sentToWard(s, 'normal', 'Về việc phòng chống lụt bão', ['phuong-ba-dinh', 'so-noi-vu']);
    await playLog(s, id);
    let now = new Date('2026-01-06T03:00:00.000Z');
    const reminded = new MemoryReminded();
    const ports: RecipientReminderPorts = {
      documents: s.ports.documents,
      directory: s.notifier.directory,
      reminded,
      now: () => now,
    };
    const later = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
    };
    return { s, id, ports, reminded, later };
  }
  const reminders = (s: Setup, person: Person) =>
    told(s, person).filter((n) => n.kind === 'registration-reminder');
  /** The reminders as the log holds them, and the notifier fed by its stream (all of it: safe again). */
  const remindedEvents = async (s: Setup, id: string) =>
    (await s.ports.documents.readLog(id)).filter((e) => e.type === 'registration-reminded');
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: { status?: number; code?: string; params?: Record<string, unknown> }) => e,
    );

  it('write a reminder per recipient to the log, which the notifier delivers to its clerks (list, e-mail), no one else', async () => {
    const { s, id, ports } = await broadcast();
    await s.notifications.savePreferences(people.wardClerk.id, {
      email: 'van-thu@ba-dinh.test',
      language: 'vi',
      emailFor: ['registration-reminder'],
    });
    const result = await remindRecipients(ports, clerk, id, ['phuong-ba-dinh', 'so-noi-vu']);
    expect(result.reminded).toEqual([
      { orgId: 'phuong-ba-dinh', clerks: 1 },
      { orgId: 'so-noi-vu', clerks: 1 },
    ]);
    // In the log, hash-chained, one per recipient, by the sender's clerk; nobody told before the stream.
    const events = await remindedEvents(s, id);
    expect(events.map((e) => [e.orgId, e.actor.userId])).toEqual([
      ['phuong-ba-dinh', clerk.actor.id],
      ['so-noi-vu', clerk.actor.id],
    ]);
    expect(verifyChain(await s.ports.documents.readLog(id)).ok).toBe(true);
    expect(reminders(s, people.wardClerk)).toEqual([]);
    await playLog(s, id);
    expect(s.sender.sent.filter((m) => m.to === 'van-thu@ba-dinh.test')).toHaveLength(1);
    expect(reminders(s, people.wardClerk)).toEqual([
      expect.objectContaining({ documentId: id, symbol: '01/UBND-KGVX', senderOrgId: 'ubnd-hanoi' }),
    ]);
    expect(reminders(s, people.deptClerk)).toHaveLength(1);
    expect(reminders(s, people.wardChairman)).toEqual([]);
    expect(reminders(s, people.cityClerk)).toEqual([]);
    const raw = s.sender.sent.find((m) => m.to === 'van-thu@ba-dinh.test')?.raw ?? '';
    const body = Buffer.from(raw.split('\r\n\r\n')[1]?.replace(/\r\n/g, '') ?? '', 'base64').toString('utf8');
    expect(body).toContain('Nhắc tiếp nhận văn bản đến: 01/UBND-KGVX');
    expect(body).toContain(`https://docflow.test/#/doc/${id}`);
    // The list shows it in the reader's language.
    const list = await listNotifications(
      { notifications: s.notifications },
      callerOf(people.wardClerk),
      'en',
      30,
    );
    expect(list.items.map((n) => n.title)).toContain(
      'Reminder to register an incoming document: 01/UBND-KGVX from Ủy ban nhân dân thành phố Hà Nội',
    );
  });

  it('remind the same recipient at most once an hour, and a refused choice reminds no one', async () => {
    const { s, id, ports, later } = await broadcast();
    await remindRecipients(ports, clerk, id, ['so-noi-vu']);
    await playLog(s, id);
    later(30);
    const tooSoon = await refusal(remindRecipients(ports, clerk, id, ['phuong-ba-dinh', 'so-noi-vu']));
    expect(tooSoon).toMatchObject({ status: 429, code: 'recipient_reminder_too_soon' });
    expect(tooSoon?.params).toMatchObject({ minutes: 60, time: '06/01/2026 11:00' });
    // The ward, fine on its own, was not reminded by the refused action, and may be now.
    await playLog(s, id);
    expect(reminders(s, people.wardClerk)).toEqual([]);
    expect(await remindedEvents(s, id)).toHaveLength(1);
    await remindRecipients(ports, chairman, id, ['phuong-ba-dinh']);
    await playLog(s, id);
    expect(reminders(s, people.wardClerk)).toHaveLength(1);
    later(31);
    await remindRecipients(ports, clerk, id, ['so-noi-vu']);
    await playLog(s, id);
    expect(reminders(s, people.deptClerk)).toHaveLength(2);
  });

  it('keep the reminders in the lists when the mail server refuses one, and send it when the stream gives it again', async () => {
    const { s, id, ports } = await broadcast();
    for (const [person, email] of [
      [people.wardClerk, 'van-thu@ba-dinh.test'],
      [people.deptClerk, 'van-thu@noi-vu.test'],
    ] as const)
      await s.notifications.savePreferences(person.id, {
        email,
        language: 'vi',
        emailFor: ['registration-reminder'],
      });
    s.sender.refuse.add('van-thu@noi-vu.test');
    const result = await remindRecipients(ports, clerk, id, ['phuong-ba-dinh', 'so-noi-vu']);
    expect(result.reminded).toHaveLength(2);
    // The notifier fails on the refused e-mail (the stream gives the event again), the rest is done.
    await expect(playLog(s, id)).rejects.toThrow(/451/);
    expect(reminders(s, people.deptClerk)).toHaveLength(1);
    expect(s.sender.sent.map((m) => m.to)).toEqual(['van-thu@ba-dinh.test']);
    s.sender.refuse.clear();
    await playLog(s, id);
    await playLog(s, id);
    expect(s.sender.sent.map((m) => m.to)).toEqual(['van-thu@ba-dinh.test', 'van-thu@noi-vu.test']);
    expect(reminders(s, people.deptClerk)).toHaveLength(1);
  });

  it('refuse recipients that registered and organisations that are no recipients, naming them', async () => {
    const { s, id, ports } = await broadcast();
    await register(s.ports, callerOf(people.wardClerk), id, undefined);
    const registered = await refusal(remindRecipients(ports, clerk, id, ['phuong-ba-dinh', 'so-noi-vu']));
    expect(registered).toMatchObject({ status: 422, code: 'recipient_reminder_not_waiting' });
    expect(String(registered?.params?.names)).toContain('Ba Đình');
    const stranger = await refusal(remindRecipients(ports, clerk, id, ['so-du-lich']));
    expect(stranger).toMatchObject({ status: 422, code: 'recipient_reminder_not_recipients' });
    await playLog(s, id);
    expect(reminders(s, people.deptClerk)).toEqual([]);
    expect(await remindedEvents(s, id)).toEqual([]);
  });

  it("only the sending organisation's clerk or leader reminds; others are refused or see nothing", async () => {
    const { id, ports } = await broadcast();
    const status = (who: Caller) =>
      refusal(remindRecipients(ports, who, id, ['so-noi-vu'])).then((e) => e?.status);
    expect(await status(specialist)).toBe(403);
    expect(await status(callerOf(people.auditor))).toBe(403);
    expect(await status(callerOf(people.wardClerk))).toBe(403);
    expect(await status(callerOf(people.admin))).toBe(404);
    expect(await status(callerOf(people.deptClerk))).toBe(403);
  });
});
