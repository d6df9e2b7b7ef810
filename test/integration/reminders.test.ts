import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hanoiDate, hanoiInstant, vietnamCalendar } from '../../lambdas/core/calendar/working-days';
import { api, login, stack } from '../support/api';
import { get, post, sent } from '../support/flow';

/**
 * Deadline reminders over the running stack: the notifier (fed by the log's stream) starts a watch when a
 * leader assigns a document with a deadline; the local scheduler's clock, moved forward by the test as
 * EventBridge Scheduler's time would pass, runs the reminders function at the new time; the test reads the
 * e-mail the local SMTP server received and the people's notification lists.
 */

interface Caught {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

interface ClockAnswer {
  now: string;
  runs: {
    schedule: string;
    result?: { watches: number; reminded: number; failed: number };
    error?: string;
  }[];
}

const mailbox = async (address: string): Promise<Caught[]> =>
  (await (
    await fetch(`${stack().services.mail}/messages?to=${encodeURIComponent(address)}`)
  ).json()) as Caught[];

const clock = async (body: unknown): Promise<ClockAnswer> => {
  const response = await fetch(`${stack().services.scheduler}/clock`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ClockAnswer;
};

/** Moves the scheduler's clock to just after `instant`, running the reminders there. */
async function advanceTo(instant: string): Promise<ClockAnswer> {
  const { now } = (await (await fetch(`${stack().services.scheduler}/clock`)).json()) as { now: string };
  const minutes = Math.ceil((new Date(instant).getTime() - new Date(now).getTime()) / 60_000) + 1;
  const answer = await clock({ advanceMinutes: Math.max(0, minutes) });
  const [run] = answer.runs.filter((r) => r.schedule === 'reminders');
  expect(run?.error).toBeUndefined();
  expect(run?.result?.failed).toBe(0);
  return answer;
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

interface NotificationList {
  items: { documentId: string; kind: string; title: string; dueDate?: string }[];
}
const notifications = async (userId: string, documentId: string) =>
  (
    await api<NotificationList>('GET', '/api/notifications', { token: await login(userId) })
  ).body.items.filter((n) => n.documentId === documentId);

const ddmmyyyy = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

describe('deadline reminders on the local stack', () => {
  afterAll(async () => {
    await clock({ reset: true });
  });

  it('remind the handler before the deadline, then the handler and the assigning leader once overdue', async () => {
    const run = randomUUID().slice(0, 8);
    const address = `xu-ly-${run}@ba-dinh.test`;
    const saved = await api('PUT', '/api/notifications/preferences', {
      token: await login('ba-dinh-specialist'),
      body: { email: address, language: 'vi', emailFor: ['assignment', 'deadline-soon', 'overdue'] },
    });
    expect(saved.status).toBe(200);
    const id = await sent(['phuong-ba-dinh'], undefined, undefined, { title: `Về việc báo cáo (${run})` });
    await post('ba-dinh-clerk', `/api/documents/${id}/register`);
    // Three working days from today in Hà Nội (weekends and holidays skipped).
    const deadline = vietnamCalendar.addWorkingDays(hanoiDate(new Date()), 3);
    await post('ba-dinh-chairman', `/api/documents/${id}/assign`, {
      lead: 'ba-dinh-specialist',
      deadline,
      note: 'Giao chuyên viên báo cáo đúng hạn.',
    });
    const symbol = (await get('ba-dinh-specialist', `/api/documents/${id}`)).symbol as string;
    // The notifier has seen the assignment (and started the watch) once the handler has its e-mail.
    const assigned = await eventually(
      () => mailbox(address),
      (m) => m.length > 0,
    );
    expect(assigned.map((m) => m.subject)).toEqual([`Văn bản giao anh/chị xử lý: ${symbol}`]);

    // One working day before, at 08:00 in Hà Nội.
    const soon = hanoiInstant(vietnamCalendar.addWorkingDays(deadline, -1), 8);
    await advanceTo(soon);
    const reminded = await eventually(
      () => mailbox(address),
      (m) => m.length > 1,
    );
    expect(reminded.map((m) => m.subject)).toContain(`Sắp đến hạn xử lý (${ddmmyyyy(deadline)}): ${symbol}`);
    const soonMail = reminded.find((m) => m.subject.startsWith('Sắp đến hạn'));
    expect(soonMail?.text).toContain(`Hạn xử lý: ${ddmmyyyy(deadline)}`);
    expect(soonMail?.text).toContain(`${stack().url}/#/doc/${id}`);
    expect((await notifications('ba-dinh-specialist', id)).map((n) => n.kind)).toContain('deadline-soon');
    expect((await notifications('ba-dinh-chairman', id)).map((n) => n.kind)).not.toContain('overdue');

    // The next working day after the deadline: overdue, to the handler and to the leader who assigned it.
    await advanceTo(hanoiInstant(vietnamCalendar.addWorkingDays(deadline, 1), 8));
    const overdue = await eventually(
      () => mailbox(address),
      (m) => m.some((x) => x.subject.startsWith('Văn bản quá hạn')),
    );
    expect(overdue.map((m) => m.subject)).toContain(
      `Văn bản quá hạn xử lý (hạn ${ddmmyyyy(deadline)}): ${symbol}`,
    );
    expect((await notifications('ba-dinh-chairman', id)).map((n) => n.kind)).toContain('overdue');
    const handler = await notifications('ba-dinh-specialist', id);
    expect(handler.map((n) => n.kind).sort()).toEqual(['assignment', 'deadline-soon', 'overdue']);

    // Moving the clock again sends nothing twice.
    await advanceTo(hanoiInstant(vietnamCalendar.addWorkingDays(deadline, 3), 8));
    expect(await mailbox(address)).toHaveLength(overdue.length);
    expect(overdue.filter((m) => m.subject.startsWith('Văn bản quá hạn'))).toHaveLength(1);
  }, 300_000);

  it("answers the organisation's overdue view through the stack, and nothing without a token", async () => {
    const view = await api<{ orgId: string; today: string; items: { overdueDays: number }[] }>(
      'GET',
      '/api/overdue',
      { token: await login('ba-dinh-clerk') },
    );
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.orgId).toBe('phuong-ba-dinh');
    expect(view.body.today).toBe(hanoiDate(new Date()));
    // Deadlines are never given in the past: what is listed became overdue since, by a working day at least.
    for (const item of view.body.items) expect(item.overdueDays).toBeGreaterThan(0);
    const anonymous = await api('GET', '/api/overdue', {});
    expect(anonymous.status).toBe(401);
  });

  it('refuses a clock command it does not know, and changes nothing', async () => {
    const before = (await (await fetch(`${stack().services.scheduler}/clock`)).json()) as {
      offsetMs: number;
    };
    const bad = await fetch(`${stack().services.scheduler}/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMinutes: -5 }),
    });
    expect(bad.status).toBe(400);
    const after = (await (await fetch(`${stack().services.scheduler}/clock`)).json()) as { offsetMs: number };
    expect(after.offsetMs).toBe(before.offsetMs);
  });
});
