import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { BODY_IDLE_MS, BODY_TOTAL_MS } from '../../local/gateway';
import { api, login, stack, stateFingerprint } from '../support/api';
import { draft, post, type View } from '../support/flow';

/**
 * Input found by fault injection and fuzzing that used to reach a 500 or hold a connection for minutes:
 * forged inbox cursors, malformed percent-encoding in a path, text that cannot be stored or signed, and
 * bodies sent slowly or not at all. Each is refused with a 4xx in the caller's language, changing nothing.
 */

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

interface Refused {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

async function refusal(
  method: string,
  path: string,
  options: { user?: string; body?: unknown; language?: 'vi' | 'en' } = {},
): Promise<Refused> {
  const response = await api<View>(method, path, {
    token: options.user ? await login(options.user) : undefined,
    body: options.body,
    headers: { 'accept-language': options.language ?? 'vi' },
  });
  return {
    status: response.status,
    code: response.body?.error?.code,
    message: response.body?.error?.message ?? JSON.stringify(response.body),
  };
}

describe('inbox cursors', () => {
  let cursor: string;
  let first: string;

  beforeAll(async () => {
    for (const title of ['Dự thảo A để thử cursor', 'Dự thảo B để thử cursor']) await draft({ title });
    const page = await api<View>('GET', '/api/inbox?folder=drafts&limit=1', {
      token: await login('city-specialist'),
    });
    expect(page.status).toBe(200);
    cursor = page.body.cursor;
    first = page.body.items[0].id;
    expect(cursor).toBeTruthy();
  });

  it('the cursor a page returned gives the next page', async () => {
    const next = await api<View>('GET', `/api/inbox?folder=drafts&limit=1&cursor=${cursor}`, {
      token: await login('city-specialist'),
    });
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].id).not.toBe(first);
  });

  it('garbage, other JSON and forged keys → 400 invalid_cursor', async () => {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, string>;
    const forged = [
      'abc',
      '!!',
      b64('null'),
      b64('[]'),
      b64('{}'),
      b64('"x"'),
      b64('42'),
      b64(JSON.stringify({ ...key, inboxPk: 1 })),
      b64(JSON.stringify({ ...key, extra: 'x' })),
      b64(JSON.stringify({ ...key, sk: '' })),
      b64(JSON.stringify({ ...key, sk: 'x'.repeat(1100) })),
      // The same key in another organisation's partition: the caller's folder is not that partition.
      b64(JSON.stringify({ ...key, inboxPk: 'so-noi-vu#drafts' })),
      'A'.repeat(2000),
    ];
    for (const bad of forged) {
      const refused = await refusal('GET', `/api/inbox?folder=drafts&cursor=${encodeURIComponent(bad)}`, {
        user: 'city-specialist',
      });
      expect({ status: refused.status, code: refused.code }, bad.slice(0, 60)).toEqual({
        status: 400,
        code: 'invalid_cursor',
      });
    }
    const english = await refusal('GET', '/api/inbox?folder=drafts&cursor=abc', {
      user: 'city-specialist',
      language: 'en',
    });
    expect(english.message).toMatch(/cursor is invalid/);
    const tooLong = await refusal('GET', `/api/inbox?folder=drafts&cursor=${'A'.repeat(2001)}`, {
      user: 'city-specialist',
    });
    expect(tooLong).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('a genuine cursor of one inbox opens no other: another organisation, another folder', async () => {
    for (const [user, folder] of [
      ['snv-specialist', 'drafts'],
      ['city-specialist', 'incoming'],
      ['city-clerk', 'outgoing'],
    ] as const) {
      const refused = await refusal('GET', `/api/inbox?folder=${folder}&cursor=${cursor}`, { user });
      expect({ status: refused.status, code: refused.code }, `${user} ${folder}`).toEqual({
        status: 400,
        code: 'invalid_cursor',
      });
    }
  });
});

describe('paths with malformed percent-encoding', () => {
  it('→ 400 invalid_path, on API routes (before the token is looked at) and on web paths', async () => {
    const cases: [string, string, string | undefined][] = [
      ['GET', '/api/documents/%E0%A4%A', 'city-clerk'],
      ['GET', '/api/documents/%ED%A0%80', 'city-clerk'],
      ['POST', '/api/documents/%ZZ/submit', 'city-specialist'],
      ['GET', '/api/people/%C3/signature-image', undefined],
      ['GET', '/inbox/%E0%A4%A', undefined],
    ];
    for (const [method, path, user] of cases) {
      const refused = await refusal(method, path, { user, body: method === 'POST' ? {} : undefined });
      expect({ status: refused.status, code: refused.code }, `${method} ${path}`).toEqual({
        status: 400,
        code: 'invalid_path',
      });
    }
    const english = await refusal('GET', '/api/documents/%ED%A0%80', { user: 'city-clerk', language: 'en' });
    expect(english.message).toMatch(/invalid percent-encoding/);
  });
});

describe('text that cannot be stored, signed or printed', () => {
  let draftId: string;
  let fingerprint: string;

  beforeAll(async () => {
    draftId = await draft({ title: 'Dự thảo để thử ký tự không hợp lệ' });
    fingerprint = await stateFingerprint();
  }, 120_000);

  it('lone surrogates, control characters and direction overrides → 400 naming the field', async () => {
    const titles = [
      'Về việc \uD800 thử',
      'Về việc thử \uDC00',
      'Về việc\u0000thử',
      'Về\u0007việc',
      'Về việc \u202Ethử',
    ];
    for (const title of titles) {
      const refused = await refusal('POST', '/api/documents', {
        user: 'city-specialist',
        body: { title, docType: 'cong-van' },
      });
      expect({ status: refused.status, code: refused.code }, JSON.stringify(title)).toEqual({
        status: 400,
        code: 'validation_failed',
      });
      expect(refused.message).toMatch(/^Dữ liệu không hợp lệ: title: chứa ký tự/);
    }
    const english = await refusal('POST', '/api/documents', {
      user: 'city-specialist',
      body: { title: 'About \uD83D', docType: 'cong-van' },
      language: 'en',
    });
    expect(english.message).toMatch(
      /title: contains a broken Unicode character \(a lone surrogate at position 7\)/,
    );
    const control = await refusal('POST', `/api/documents/${draftId}/submit`, {
      user: 'city-specialist',
      body: { note: 'Kính trình\u001b[31m' },
      language: 'en',
    });
    expect(control).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(control.message).toMatch(/note: contains a control character that cannot be printed \(U\+001B/);
    const id = await refusal('POST', `/api/documents/${draftId}/approve`, {
      user: 'city-chairman',
      body: { signerId: 'city-vice\u0000chairman' },
    });
    expect(id).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('changed nothing', async () => {
    expect(await stateFingerprint()).toBe(fingerprint);
  });

  it('line breaks in a subject and pairs of surrogates (emoji) are fine', async () => {
    const created = await post('city-specialist', '/api/documents', {
      title: 'Về việc thử nghiệm\nhai dòng 📄',
      docType: 'cong-van',
    });
    expect(created.id).toBeTruthy();
  });
});

/** Sends `head` then `parts` (each after its delay) on a raw connection; the status it got, and when. */
function slowRequest(
  head: string,
  parts: readonly { afterMs: number; data: string }[],
  giveUpMs = 30_000,
): Promise<{ status: number; body: string; ms: number }> {
  const { hostname, port } = new URL(stack().url);
  const started = performance.now();
  return new Promise((resolveResponse) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolveResponse({
        status,
        body: received.split('\r\n\r\n').slice(1).join(''),
        ms: performance.now() - started,
      });
    };
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    timers.push(setTimeout(finish, giveUpMs));
    socket.write(head);
    for (const part of parts) {
      timers.push(setTimeout(() => socket.writable && socket.write(part.data), part.afterMs));
    }
  });
}

describe('bodies sent slowly or not at all', () => {
  it('a stalled body, a trickled one and unfinished headers are cut off within seconds', async () => {
    const token = await login('city-specialist');
    const head = (length: number) =>
      `POST /api/documents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nAccept-Language: en\r\nContent-Length: ${length}\r\n\r\n`;
    const trickle = Array.from({ length: 20 }, (_, i) => ({ afterMs: (i + 1) * 1_000, data: ' ' }));
    const [stalled, trickled, headers] = await Promise.all([
      // 100 bytes announced, 10 sent.
      slowRequest(head(100), [{ afterMs: 0, data: '{"title": ' }]),
      // A byte a second: never idle for long, never done.
      slowRequest(head(100), trickle),
      slowRequest('POST /api/documents HTTP/1.1\r\nHost: localhost\r\n', []),
    ]);
    expect(stalled.status).toBe(408);
    expect(stalled.ms).toBeLessThan(BODY_IDLE_MS + 3_000);
    // The body is chunked: the JSON is the one line that is an object.
    expect(stalled.body).toMatch(/"code":"request_timeout"/);
    expect(trickled.status).toBe(408);
    expect(trickled.ms).toBeLessThan(BODY_TOTAL_MS + 3_000);
    expect(headers.status).toBe(408);
    expect(headers.ms).toBeLessThan(15_000);
  }, 60_000);
});
