import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { get, sent } from '../support/flow';

/**
 * Notifications over the running stack: the log's stream feeds the notifier (the local stack plays the event
 * source), which writes people's lists and sends e-mail through the real SMTP server the stack started; the
 * test reads the message that server received, and makes it refuse a recipient to see nothing lost or sent
 * twice.
 */

interface Caught {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly contentLanguage?: string;
}

const mailbox = async (address: string): Promise<Caught[]> => {
  const response = await fetch(`${stack().services.mail}/messages?to=${encodeURIComponent(address)}`);
  return (await response.json()) as Caught[];
};

async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

const preferences = async (userId: string, body: Record<string, unknown>, language = 'vi') => {
  const response = await api('PUT', '/api/notifications/preferences', {
    token: await login(userId),
    body,
    headers: { 'accept-language': language },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
};

interface NotificationList {
  items: { id: string; documentId: string; kind: string; title: string; urgency: string; read: boolean }[];
  unread: number;
}

describe('notifications and e-mail on the local stack', () => {
  it('e-mail the ward clerk and chairman of a Hỏa tốc document at once, each in their language, with no content', async () => {
    const run = randomUUID().slice(0, 8);
    const clerkMail = `van-thu-${run}@ba-dinh.test`;
    const chairMail = `chu-tich-${run}@ba-dinh.test`;
    await preferences('ba-dinh-clerk', { email: clerkMail, language: 'vi', emailFor: ['arrival'] });
    await preferences('ba-dinh-chairman', { email: chairMail, language: 'en', emailFor: ['urgent'] });
    const title = `Về việc ứng phó bão số 3 (${run})`;
    const id = await sent(['phuong-ba-dinh'], undefined, undefined, { title, urgency: 'flash' });

    const [vi] = await eventually(
      () => mailbox(clerkMail),
      (m) => m.length > 0,
    );
    const [en] = await eventually(
      () => mailbox(chairMail),
      (m) => m.length > 0,
    );
    const view = await get('ba-dinh-clerk', `/api/documents/${id}`);
    const symbol = view.symbol as string;
    expect(vi?.subject).toBe(`[HỎA TỐC] Văn bản đến: ${symbol} của Ủy ban nhân dân thành phố Hà Nội`);
    expect(vi?.text).toContain(`Trích yếu: ${title}`);
    expect(vi?.text).toContain('Độ khẩn: Hỏa tốc');
    expect(vi?.text).toContain(`${stack().url}/#/doc/${id}`);
    expect(vi?.contentLanguage).toBe('vi');
    expect(en?.subject).toBe(`[FLASH] Incoming document: ${symbol} from Ủy ban nhân dân thành phố Hà Nội`);
    expect(en?.text).toContain('Urgency: Flash');
    // No file, no content: one plain-text part of metadata.
    expect(`${vi?.text}${en?.text}`).not.toMatch(/%PDF/);

    const list = await api<NotificationList>('GET', '/api/notifications', {
      token: await login('ba-dinh-clerk'),
    });
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((n) => n.documentId === id);
    expect(mine).toEqual([expect.objectContaining({ kind: 'arrival', urgency: 'flash', read: false })]);
    expect(list.body.unread).toBeGreaterThanOrEqual(1);
    const marked = await api<{ marked: number; unread: number }>('POST', '/api/notifications/read', {
      token: await login('ba-dinh-clerk'),
      body: { ids: [mine[0]?.id] },
    });
    expect(marked.body).toEqual({ marked: 1, unread: list.body.unread - 1 });
    // Nobody outside the ward is told of its arrival.
    const other = await api<NotificationList>('GET', '/api/notifications', {
      token: await login('hoan-kiem-clerk'),
    });
    expect(other.body.items.filter((n) => n.documentId === id)).toEqual([]);
  });

  it('lose nothing and send nothing twice when the mail server refuses a recipient part-way', async () => {
    const run = randomUUID().slice(0, 8);
    // The clerk and the head (the position tests, on this same stack, may move the vice-chairman away).
    const addresses = {
      'ba-dinh-clerk': `clerk-${run}@ba-dinh.test`,
      'ba-dinh-chairman': `chair-${run}@ba-dinh.test`,
    };
    for (const [user, email] of Object.entries(addresses))
      await preferences(user, { email, language: 'vi', emailFor: ['arrival', 'urgent'] });
    // The chairman's mailbox refuses twice (451): the notifier fails the event, the stream gives it again.
    await fetch(`${stack().services.mail}/faults`, {
      method: 'POST',
      body: JSON.stringify({ refuse: addresses['ba-dinh-chairman'], times: 2 }),
    });
    const id = await sent(['phuong-ba-dinh'], undefined, undefined, { urgency: 'flash' });
    const chair = await eventually(
      () => mailbox(addresses['ba-dinh-chairman']),
      (m) => m.length > 0,
    );
    // Time for any duplicate to show up: the stream's retries are done once the chairman has his.
    await new Promise((r) => setTimeout(r, 1500));
    for (const address of Object.values(addresses)) {
      const messages = address === addresses['ba-dinh-chairman'] ? chair : await mailbox(address);
      expect(
        messages.map((m) => m.subject.includes('HỎA TỐC')),
        address,
      ).toEqual([true]);
    }
    expect(await mailbox(addresses['ba-dinh-chairman'])).toHaveLength(1);
    // The server did refuse him twice before accepting.
    const faults = (await (await fetch(`${stack().services.mail}/faults`)).json()) as Record<string, number>;
    expect(faults[addresses['ba-dinh-chairman']]).toBe(0);
    for (const user of Object.keys(addresses)) {
      const list = await api<NotificationList>('GET', '/api/notifications', { token: await login(user) });
      expect(
        list.body.items.filter((n) => n.documentId === id),
        user,
      ).toHaveLength(1);
    }
  });

  it('refuses bad preferences with a message in the caller language, and changes nothing', async () => {
    // Whatever they are now (other tests on the shared stack may have set them): the same after the refusal.
    const before = await api<{ emailFor: string[]; email?: string }>(
      'GET',
      '/api/notifications/preferences',
      {
        token: await login('ba-dinh-specialist'),
      },
    );
    const bad = await api<{ error: { message: string } }>('PUT', '/api/notifications/preferences', {
      token: await login('ba-dinh-specialist'),
      body: { email: 'not-an-address', emailFor: ['nonsense'] },
      headers: { 'accept-language': 'en' },
    });
    expect(bad.status).toBe(400);
    const kept = await api<{ emailFor: string[]; email?: string }>('GET', '/api/notifications/preferences', {
      token: await login('ba-dinh-specialist'),
    });
    expect(kept.body).toEqual(before.body);
    expect(kept.body.emailFor).not.toContain('nonsense');
  });
});
