import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { get, post, sent } from '../support/flow';

/**
 * The sender's reminder to recipients that have not registered a document, over the running stack: the city
 * sends to three organisations, one registers, the city's clerk reminds the two others; their clerks read the
 * reminder in their notification lists and in the e-mail the local SMTP server received. A second reminder
 * within the hour, one to a recipient that registered, and one by a specialist are refused, in vi and en.
 */

interface Caught {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

const mailbox = async (address: string): Promise<Caught[]> =>
  (await (
    await fetch(`${stack().services.mail}/messages?to=${encodeURIComponent(address)}`)
  ).json()) as Caught[];

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
  items: { documentId: string; kind: string; title: string }[];
}
const reminders = async (userId: string, documentId: string) =>
  (
    await api<NotificationList>('GET', '/api/notifications', { token: await login(userId) })
  ).body.items.filter((n) => n.documentId === documentId && n.kind === 'registration-reminder');

interface Refusal {
  error: { code: string; message: string };
}

const remind = async (
  userId: string,
  id: string,
  orgIds: readonly string[],
  headers: Record<string, string> = {},
) =>
  api<Refusal & { reminded: { orgId: string; clerks: number }[] }>(
    'POST',
    `/api/documents/${id}/recipient-reminders`,
    {
      token: await login(userId),
      body: { recipientOrgIds: orgIds },
      headers: { 'idempotency-key': randomUUID(), ...headers },
    },
  );

describe("the sender's reminder to register, on the local stack", () => {
  it('reminds the chosen recipients that have not registered, in their lists and by e-mail, at most hourly', async () => {
    const run = randomUUID().slice(0, 8);
    const addresses = {
      'ba-dinh-clerk': `van-thu-${run}@ba-dinh.test`,
      'hoan-kiem-clerk': `van-thu-${run}@hoan-kiem.test`,
    };
    for (const [user, email] of Object.entries(addresses)) {
      const saved = await api('PUT', '/api/notifications/preferences', {
        token: await login(user),
        body: { email, language: 'vi', emailFor: ['registration-reminder'] },
      });
      expect(saved.status).toBe(200);
    }
    const id = await sent(['phuong-ba-dinh', 'phuong-hoan-kiem', 'xa-soc-son'], undefined, undefined, {
      title: `Về việc báo cáo số liệu (${run})`,
    });
    await post('soc-son-clerk', `/api/documents/${id}/register`);
    const symbol = (await get('city-clerk', `/api/documents/${id}`)).symbol as string;

    const done = await remind('city-clerk', id, ['phuong-ba-dinh', 'phuong-hoan-kiem']);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.reminded).toEqual([
      { orgId: 'phuong-ba-dinh', clerks: 1 },
      { orgId: 'phuong-hoan-kiem', clerks: 1 },
    ]);
    // A step of the log: the sender's timeline shows it for each recipient, and so does the recipient's own.
    const timeline = async (userId: string) =>
      ((await get(userId, `/api/documents/${id}`)).log as { type: string; orgId: string }[]).filter(
        (e) => e.type === 'registration-reminded',
      );
    expect((await timeline('city-clerk')).map((e) => e.orgId)).toEqual([
      'phuong-ba-dinh',
      'phuong-hoan-kiem',
    ]);
    expect((await timeline('ba-dinh-clerk')).map((e) => e.orgId)).toEqual(['phuong-ba-dinh']);
    expect((await get('city-clerk', `/api/documents/${id}`)).chain).toMatchObject({ valid: true });
    // The notifier delivers it from the log's stream.
    await eventually(
      () => reminders('hoan-kiem-clerk', id),
      (r) => r.length > 0,
    );
    await eventually(
      () => reminders('ba-dinh-clerk', id),
      (r) => r.length > 0,
    );
    expect(await reminders('ba-dinh-clerk', id)).toEqual([
      expect.objectContaining({
        title: `Nhắc tiếp nhận văn bản đến: ${symbol} của Ủy ban nhân dân thành phố Hà Nội`,
      }),
    ]);
    expect(await reminders('hoan-kiem-clerk', id)).toHaveLength(1);
    // Neither the recipient that registered nor a leader of a reminded one.
    expect(await reminders('soc-son-clerk', id)).toEqual([]);
    expect(await reminders('hoan-kiem-chairman', id)).toEqual([]);
    for (const address of Object.values(addresses)) {
      const mail = await eventually(
        () => mailbox(address),
        (m) => m.length > 0,
      );
      expect(mail.map((m) => m.subject)).toEqual([
        `Nhắc tiếp nhận văn bản đến: ${symbol} của Ủy ban nhân dân thành phố Hà Nội`,
      ]);
      expect(mail[0]?.text).toContain(`${stack().url}/#/doc/${id}`);
    }

    // Again within the hour: refused for both, nothing sent; in English on asking.
    const again = await remind('city-clerk', id, ['phuong-hoan-kiem'], { 'accept-language': 'en' });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('recipient_reminder_too_soon');
    expect(again.body.error.message).toMatch(
      /^Reminded within the last 60 minutes; they may be reminded again from \d\d\/\d\d\/\d{4} \d\d:\d\d: .*Hoàn Kiếm\.$/,
    );
    expect(await reminders('hoan-kiem-clerk', id)).toHaveLength(1);
    // A recipient that registered, named in Vietnamese.
    const registered = await remind('city-clerk', id, ['xa-soc-son']);
    expect(registered.status).toBe(422);
    expect(registered.body.error.message).toContain('Sóc Sơn');
    expect(registered.body.error.message).toMatch(/^Không cần nhắc/);
    // Not the sending organisation's clerk or leader.
    expect((await remind('city-specialist', id, ['phuong-ba-dinh'])).status).toBe(403);
    expect((await remind('ba-dinh-clerk', id, ['phuong-ba-dinh'])).status).toBe(403);
    expect(await mailbox(addresses['hoan-kiem-clerk'])).toHaveLength(1);
  }, 300_000);
});
