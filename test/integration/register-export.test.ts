import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { issueAndSend, post } from '../support/flow';

/*
 * The registers as the clerk downloads them from the running stack: the PDF, XLSX and CSV of a period hold
 * exactly the rows the JSON register has for it (pdftotext and read-excel-file read them back), in the
 * caller's language; a bad period is refused with a 4xx.
 */

const run = promisify(execFile);
let dir: string;
let ids: string[];

interface Entry {
  readonly documentId: string;
  readonly symbol: string;
  readonly issuedOn: string;
  readonly subject: string;
  readonly arrivalNumber?: number;
}

async function download(path: string, language = 'vi') {
  const response = await fetch(`${stack().url}${path}`, {
    headers: { authorization: `Bearer ${await login('city-clerk')}`, 'accept-language': language },
  });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docflow-register-api-'));
  ids = [
    await issueAndSend({ sendTo: ['so-noi-vu'], registerBy: ['snv-clerk'] }),
    await issueAndSend({ sendTo: ['so-noi-vu'] }),
  ];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('register exports through the API', () => {
  it('the PDF of the outgoing register holds every row of the period, as pdftotext reads it', async () => {
    const json = await api<{ entries: Entry[] }>('GET', '/api/registers/outgoing', {
      token: await login('city-clerk'),
    });
    const entries = json.body.entries;
    expect(entries.map((e) => e.documentId)).toEqual(expect.arrayContaining(ids));
    const day = entries[0]?.issuedOn ?? '';
    const { response, bytes } = await download(`/api/registers/outgoing?format=pdf&from=${day}&to=${day}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(/so-van-ban-di-ubnd-hanoi-\d{4}\.pdf/);
    const file = join(dir, 'outgoing.pdf');
    await writeFile(file, bytes);
    const text = (await run('pdftotext', [file, '-'])).stdout.normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(text).toContain('ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI');
    const [y, m, d] = day.split('-');
    expect(text).toContain(`Từ ngày ${d}/${m}/${y} đến ngày ${d}/${m}/${y}`);
    for (const entry of entries.filter((e) => e.issuedOn === day)) {
      expect(text).toContain(entry.symbol);
      expect(text).toContain(entry.subject.split(' ').slice(0, 3).join(' '));
    }
    expect(text).toMatch(/Trang 1\/\d+/);
  });

  it('the XLSX and CSV hold the same rows, in the caller language', async () => {
    const json = await api<{ entries: Entry[] }>('GET', '/api/registers/outgoing', {
      token: await login('city-clerk'),
    });
    const symbols = json.body.entries.map((e) => e.symbol).sort();
    const xlsx = await download('/api/registers/outgoing?format=xlsx', 'en');
    expect(xlsx.response.status).toBe(200);
    const sheet = await readSheet(Buffer.from(xlsx.bytes));
    const header = sheet.findIndex((row) => row[0] === 'Number and symbol');
    expect(header).toBeGreaterThan(0);
    expect(
      sheet
        .slice(header + 1)
        .map((row) => String(row[0]))
        .sort(),
    ).toEqual(symbols);
    const csv = await download('/api/registers/outgoing?format=csv');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(symbols.length + 1);
    for (const symbol of symbols) expect(text).toContain(symbol);
  });

  it('the incoming register of the receiving organisation, filtered by urgency', async () => {
    const token = await login('snv-clerk');
    const json = await api<{ entries: Entry[] }>('GET', '/api/registers/incoming', { token });
    expect(json.body.entries.length).toBeGreaterThan(0);
    const normal = await api<{ entries: Entry[] }>('GET', '/api/registers/incoming?urgency=normal', {
      token,
    });
    expect(normal.body.entries).toHaveLength(json.body.entries.length);
    const flash = await api<{ entries: Entry[] }>('GET', '/api/registers/incoming?urgency=flash', { token });
    expect(flash.body.entries).toHaveLength(0);
    const response = await fetch(`${stack().url}/api/registers/incoming?format=pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const file = join(dir, 'incoming.pdf');
    await writeFile(file, new Uint8Array(await response.arrayBuffer()));
    const text = (await run('pdftotext', [file, '-'])).stdout.normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(text).toContain('SỞ NỘI VỤ');
    for (const entry of json.body.entries) expect(text).toContain(entry.symbol);
  });

  it('the follow-up register: handler, deadline and progress from the assignment, in JSON, PDF, XLSX and CSV', async () => {
    const id = await issueAndSend({ sendTo: ['so-noi-vu'] });
    await post('snv-clerk', `/api/documents/${id}/register`, { presentTo: 'snv-director' });
    const deadline = new Date(Date.now() + 7 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await post('snv-director', `/api/documents/${id}/assign`, {
      lead: 'snv-specialist',
      deadline,
      note: 'Giao chuyên viên nghiên cứu, đề xuất.',
    });
    const token = await login('snv-clerk');
    type FollowUp = Entry & {
      state: string;
      deadline?: string;
      handler?: { name: string };
      onTime?: boolean;
    };
    const before = await api<{ entries: FollowUp[] }>('GET', '/api/registers/follow-up', { token });
    expect(before.status).toBe(200);
    const assigned = before.body.entries.find((e) => e.documentId === id);
    expect(assigned).toMatchObject({ state: 'ASSIGNED', deadline, handler: { name: 'Bùi Thị Lan' } });
    // Only registered documents: the one above with its arrival number, in the order of the book.
    const numbers = before.body.entries.map((e) => e.arrivalNumber ?? 0);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

    await post('snv-specialist', `/api/documents/${id}/start`);
    await post('snv-specialist', `/api/documents/${id}/resolve`, { note: 'Đã báo cáo lãnh đạo.' });
    const after = await api<{ entries: FollowUp[] }>('GET', '/api/registers/follow-up', { token });
    const resolved = after.body.entries.find((e) => e.documentId === id);
    expect(resolved).toMatchObject({ state: 'RESOLVED', onTime: true });

    // The filters, on the server: state, overdue, exact sender, words without diacritics.
    const ids = async (path: string) =>
      (await api<{ entries: FollowUp[] }>('GET', path, { token })).body.entries.map((e) => e.documentId);
    expect(await ids('/api/registers/follow-up?status=RESOLVED')).toContain(id);
    expect(await ids('/api/registers/follow-up?status=ASSIGNED')).not.toContain(id);
    expect(await ids('/api/registers/follow-up?overdue=true')).not.toContain(id);
    expect(await ids('/api/registers/follow-up?overdue=false')).toContain(id);
    expect(await ids('/api/registers/follow-up?org=ubnd-hanoi')).toContain(id);
    expect(await ids('/api/registers/follow-up?org=so-tai-chinh')).not.toContain(id);
    const word = (resolved?.subject ?? '').split(' ').at(-1) ?? '';
    expect(
      await ids(`/api/registers/follow-up?q=${encodeURIComponent(`ve viec thu nghiem ${word}`)}`),
    ).toEqual([id]);
    expect(await ids(`/api/registers/incoming?status=RESOLVED&q=${word}`)).toEqual([id]);
    expect(await ids(`/api/registers/incoming?overdue=true&q=${word}`)).toEqual([]);
    const city = await login('city-clerk');
    const sentTo = async (org: string) =>
      (
        await api<{ entries: Entry[] }>('GET', `/api/registers/outgoing?org=${org}&q=${word}`, {
          token: city,
        })
      ).body.entries.map((e) => e.documentId);
    expect(await sentTo('so-noi-vu')).toEqual([id]);
    expect(await sentTo('so-tai-chinh')).toEqual([]);
    const unknown = await api<{ error: { message: string } }>('GET', '/api/registers/outgoing?org=nowhere', {
      token: city,
      headers: { 'accept-language': 'en' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('there is no organisation “nowhere”');
    expect((await api('GET', '/api/registers/outgoing?overdue=true', { token: city })).status).toBe(400);
    expect((await api('GET', '/api/registers/outgoing?status=RESOLVED', { token: city })).status).toBe(400);

    const pdf = await fetch(`${stack().url}/api/registers/follow-up?format=pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/so-theo-doi-giai-quyet-so-noi-vu-\d{4}\.pdf/);
    const file = join(dir, 'follow-up.pdf');
    await writeFile(file, new Uint8Array(await pdf.arrayBuffer()));
    const text = (await run('pdftotext', [file, '-'])).stdout.normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(text).toContain('Tiến độ giải quyết');
    const [y, m, d] = deadline.split('-');
    expect(text).toContain(`${d}/${m}/${y}`);
    for (const entry of after.body.entries) expect(text).toContain(entry.symbol);
    expect(text).toContain('Bùi Thị Lan');
    expect(text).toContain('Đã giải quyết ngày');

    const xlsx = await fetch(`${stack().url}/api/registers/follow-up?format=xlsx`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
    });
    const sheet = await readSheet(Buffer.from(await xlsx.arrayBuffer()));
    const header = sheet.findIndex((row) => row[0] === 'Arrival number');
    expect(sheet[header]?.at(-2)).toBe('Number and symbol of the reply');
    const rows = sheet.slice(header + 1);
    expect(rows).toHaveLength(after.body.entries.length);
    expect(rows.find((row) => row[3] === resolved?.symbol && row[6] === 'Bùi Thị Lan')?.[8]).toMatch(
      /^Resolved on \d\d\/\d\d\/\d{4}$/,
    );
    const csv = new Uint8Array(
      await (
        await fetch(`${stack().url}/api/registers/follow-up?format=csv`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).arrayBuffer(),
    );
    const csvText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv);
    expect(csvText.startsWith('\ufeffSố đến,')).toBe(true);
  });

  it('the statistics agree with the registers, and download as CSV and XLSX with the same numbers', async () => {
    const token = await login('snv-clerk');
    const followUp = await api<{ entries: { state: string; onTime?: boolean }[] }>(
      'GET',
      '/api/registers/follow-up',
      { token },
    );
    interface Line {
      key: string;
      label: string;
      received: number;
      sent: number;
      resolved: number;
    }
    const stats = await api<{
      by: string;
      totals: Omit<Line, 'key' | 'label'>;
      periods: Line[];
      handlers: Line[];
    }>('GET', '/api/statistics?by=year', { token });
    expect(stats.status).toBe(200);
    expect(stats.body.by).toBe('year');
    expect(stats.body.totals.received).toBe(followUp.body.entries.length);
    expect(stats.body.totals.resolved).toBe(
      followUp.body.entries.filter((e) => e.state === 'RESOLVED').length,
    );
    expect(stats.body.periods).toHaveLength(1);
    expect(stats.body.handlers.map((h) => h.label)).toContain('Bùi Thị Lan');
    const city = await api<{ totals: { sent: number } }>('GET', '/api/statistics', {
      token: await login('city-clerk'),
    });
    const outgoing = await api<{ entries: Entry[] }>('GET', '/api/registers/outgoing', {
      token: await login('city-clerk'),
    });
    expect(city.body.totals.sent).toBe(outgoing.body.entries.length);

    const xlsx = await fetch(`${stack().url}/api/statistics?by=year&format=xlsx`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
    });
    expect(xlsx.status).toBe(200);
    const sheet = await readSheet(Buffer.from(await xlsx.arrayBuffer()));
    const total = sheet.find((row) => row[0] === 'Total');
    expect(total?.slice(2, 5)).toEqual([
      String(stats.body.totals.received),
      String(stats.body.totals.sent),
      String(stats.body.totals.resolved),
    ]);
    const csv = await fetch(`${stack().url}/api/statistics?by=year&format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\ufeffNhóm,Mục,Văn bản đến,')).toBe(true);
    expect(text).toContain(`Tổng số,Tổng số,${stats.body.totals.received},`);
    const reversed = await api('GET', '/api/statistics?from=2026-05-01&to=2026-04-01', { token });
    expect(reversed.status).toBe(400);
    expect((await api('GET', '/api/statistics?by=week', { token })).status).toBe(400);
  });

  it('refuses a reversed or too long period with a 400 in the caller language', async () => {
    const token = await login('city-clerk');
    const reversed = await api<{ error: { message: string } }>(
      'GET',
      '/api/registers/outgoing?from=2026-05-01&to=2026-04-01&format=pdf',
      { token, headers: { 'accept-language': 'en' } },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toContain('the start date is after the end date');
    const long = await api('GET', '/api/registers/outgoing?from=2000-01-01&to=2026-01-01', { token });
    expect(long.status).toBe(400);
    expect((await api('GET', '/api/registers/outgoing?format=doc', { token })).status).toBe(400);
  });
});
