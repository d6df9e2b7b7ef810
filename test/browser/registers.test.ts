import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { readSheet } from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { issueAndSend, post } from '../support/flow';
import { capture, describeViolations, launch, type Session, signIn } from './support';

/*
 * The register screen in Chromium under the deployed CSP: a clerk opens it from the navigation, sees the
 * year's outgoing register with the document just issued, filters it (by urgency, by type), and downloads the PDF (read back by
 * pdftotext) and the XLSX (read back by read-excel-file); on a desktop and a phone, axe clean.
 */

const run = promisify(execFile);
let browser: Browser;
let session: Session | undefined;
let dir: string;
let symbol: string;

beforeAll(async () => {
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), 'docflow-registers-'));
  const id = await issueAndSend({ sendTo: ['so-noi-vu'] });
  const register = await api<{ entries: { documentId: string; symbol: string }[] }>(
    'GET',
    '/api/registers/outgoing',
    {
      token: await login('city-clerk'),
    },
  );
  symbol = register.body.entries.find((e) => e.documentId === id)?.symbol ?? '';
  expect(symbol).not.toBe('');
});

afterAll(async () => {
  await session?.context.close().catch(() => undefined);
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('registers, in Chromium', () => {
  it('shows the outgoing register, filters it (by urgency, by type), and downloads the PDF and the XLSX', async () => {
    session = await signIn(browser, stack().url, 'city-clerk', { s3Url: stack().services.s3 });
    const { page } = session;
    await page.getByRole('link', { name: 'Sổ văn bản' }).click();
    await page.locator('#registers-heading').waitFor();
    const table = page.locator('.registers-table');
    await expect.poll(() => table.textContent()).toContain(symbol);
    const captured = await capture(page, '40-registers');
    expect(describeViolations(captured), 'axe on the register screen').toBe('');

    await page.getByLabel('Độ khẩn').selectOption('flash');
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    await expect.poll(() => page.locator('.registers-table-wrap .empty').count()).toBe(1);
    await page.getByLabel('Độ khẩn').selectOption('');
    await page.getByLabel('Loại văn bản').selectOption('quyet-dinh');
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    await expect.poll(() => table.textContent()).toContain(symbol);

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[data-format="pdf"]').click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^so-van-ban-di-ubnd-hanoi-\d{4}\.pdf$/);
    const pdfFile = join(dir, 'register.pdf');
    await pdf.saveAs(pdfFile);
    const text = (await run('pdftotext', [pdfFile, '-'])).stdout.normalize('NFC');
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(text).toContain(symbol);

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[data-format="xlsx"]').click(),
    ]);
    const xlsxFile = join(dir, 'register.xlsx');
    await xlsx.saveAs(xlsxFile);
    const sheet = await readSheet(xlsxFile);
    expect(sheet.some((row) => row[0] === symbol)).toBe(true);
    expect(session.problems).toEqual([]);
  });

  it('the follow-up register: handler, deadline, progress; filtered by words without diacritics, kept in the address, printed', async () => {
    const id = await issueAndSend({ sendTo: ['so-noi-vu'], title: 'Về việc rà soát hồ sơ lưu trữ năm 2026' });
    await post('snv-clerk', `/api/documents/${id}/register`, { presentTo: 'snv-director' });
    const deadline = new Date(Date.now() + 10 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await post('snv-director', `/api/documents/${id}/assign`, {
      lead: 'snv-specialist',
      deadline,
      note: 'Giao chuyên viên rà soát.',
    });
    const followUp = await api<{ entries: { documentId: string; symbol: string }[] }>(
      'GET',
      '/api/registers/follow-up',
      { token: await login('snv-clerk') },
    );
    const entry = followUp.body.entries.find((e) => e.documentId === id);
    expect(entry).toBeDefined();

    await session?.context.close();
    session = await signIn(browser, stack().url, 'snv-clerk', { s3Url: stack().services.s3 });
    const { page } = session;
    await page.getByRole('link', { name: 'Sổ văn bản' }).click();
    await page.locator('#registers-heading').waitFor();
    await page.locator('.registers-table-wrap').waitFor();
    await page.getByLabel('Sổ', { exact: true }).selectOption('follow-up');
    await page.getByLabel('Tìm kiếm').fill('ra soat ho so luu tru');
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    const row = page.locator(`.registers-table tr[data-document="${id}"]`);
    await expect.poll(() => row.textContent()).toContain('Bùi Thị Lan');
    expect(await page.locator('.registers-table tbody tr').count()).toBe(1);
    const [y, m, d] = deadline.split('-');
    expect(await row.textContent()).toContain(`${d}/${m}/${y}`);
    expect(page.url()).toContain('kind=follow-up');
    expect(page.url()).toContain('q=ra+soat+ho+so+luu+tru');
    const captured = await capture(page, '41-follow-up-register');
    expect(describeViolations(captured), 'axe on the follow-up register').toBe('');

    // The address keeps the register and its filters: a reload shows the same list.
    await page.reload();
    await expect.poll(() => row.textContent()).toContain('Bùi Thị Lan');
    expect(await page.getByLabel('Tìm kiếm').inputValue()).toBe('ra soat ho so luu tru');

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[data-format="pdf"]').click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/^so-theo-doi-giai-quyet-so-noi-vu-\d{4}\.pdf$/);
    const pdfFile = join(dir, 'follow-up.pdf');
    await pdf.saveAs(pdfFile);
    const text = (await run('pdftotext', [pdfFile, '-'])).stdout.normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN');
    expect(text).toContain(entry?.symbol ?? '?');
    expect(text).toContain('Bùi Thị Lan');
    expect(session.problems).toEqual([]);
  });

  it('the statistics: totals, a chart drawn under the CSP, tables by handler, and the XLSX with the same numbers', async () => {
    const stats = await api<{ totals: { received: number; sent: number } }>('GET', '/api/statistics', {
      token: await login('snv-clerk'),
    });
    expect(stats.body.totals.received).toBeGreaterThan(0);
    await session?.context.close();
    session = await signIn(browser, stack().url, 'snv-clerk', { s3Url: stack().services.s3 });
    const { page } = session;
    await page.getByRole('link', { name: 'Thống kê' }).click();
    await page.locator('#statistics-heading').waitFor();
    const received = page.locator('[data-total="received"] dd');
    await expect.poll(() => received.textContent()).toBe(String(stats.body.totals.received));
    // Chart.js, loaded with the chart, has drawn on the canvas (pixels other than transparent).
    await expect
      .poll(() =>
        page
          .locator('.statistics-chart canvas')
          .evaluate(
            (c: {
              getContext(t: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } } | null;
              width: number;
              height: number;
            }) => {
              const data =
                c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
              return data.some((v, i) => i % 4 === 3 && v > 0);
            },
          ),
      )
      .toBe(true);
    await expect.poll(() => page.locator('[data-group="handlers"]').textContent()).toContain('Bùi Thị Lan');
    const captured = await capture(page, '42-statistics');
    expect(describeViolations(captured), 'axe on the statistics screen').toBe('');

    await page.getByLabel('Thống kê theo').selectOption('year');
    await page.getByRole('button', { name: 'Xem danh sách' }).click();
    await expect.poll(() => page.locator('[data-group="periods"] tbody tr').count()).toBe(1);

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[data-format="xlsx"]').click(),
    ]);
    const xlsxFile = join(dir, 'statistics.xlsx');
    await xlsx.saveAs(xlsxFile);
    const sheet = await readSheet(xlsxFile);
    expect(sheet.find((row) => row[0] === 'Tổng số')?.[2]).toBe(String(stats.body.totals.received));
    expect(session.problems).toEqual([]);
  });
});
