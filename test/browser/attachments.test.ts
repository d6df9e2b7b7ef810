import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../support/api';
import { draft, get, issueAs, post, signAs } from '../support/flow';
import { tempDir, writeTemp } from '../support/pdf-tools';
import { launch, type Session, signIn } from './support';

/*
 * Attachments on the document page (issue #17): the drafter attaches a file with its title and removes
 * one; once issued and sent, the recipient's clerk lists it as sealed and downloads it with its .p7s.
 */

let browser: Browser;
let dir: string;
const sessions: Session[] = [];

beforeAll(async () => {
  browser = await launch();
  dir = tempDir('docflow-attachments-');
}, 120_000);
afterAll(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
});

async function documentPageAs(userId: string, id: string) {
  const session = await signIn(browser, stack().url, userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  const { page } = session;
  await page.goto(`${stack().url}/#/doc/${encodeURIComponent(id)}`);
  await page.locator('#doc-title').waitFor();
  return page;
}

describe('attachments on the document page', () => {
  it('the drafter attaches and removes files; the recipient downloads the sealed file and its .p7s', async () => {
    const id = await draft({ title: 'Về việc ban hành kế hoạch, kèm bảng số liệu' });
    const csv = 'Phường,Kinh phí\nBa Đình,120000000\n';
    const csvPath = writeTemp(dir, 'Bảng kinh phí.csv', csv);
    const dropPath = writeTemp(dir, 'bo-di.txt', 'không dùng');

    const page = await documentPageAs('city-specialist', id);
    const panel = page.locator('[data-testid="attachments"]');
    await expect.poll(() => panel.locator('.empty').textContent()).toBe('Chưa có phụ lục nào.');
    // Asked for a title first.
    await page.locator('input[name="attachment-file"]').setInputFiles(csvPath);
    await panel.getByRole('button', { name: 'Đính kèm' }).click();
    await expect.poll(() => panel.locator('[role="alert"]').textContent()).toBe('Nhập tên phụ lục.');
    await page.getByLabel('Tên phụ lục').fill('Phụ lục I: Dự toán kinh phí');
    await panel.getByRole('button', { name: 'Đính kèm' }).click();
    await panel.locator('[data-attachment="a1"]').waitFor({ timeout: 60_000 });
    await page.getByLabel('Tên phụ lục').fill('Bản bỏ đi');
    await page.locator('input[name="attachment-file"]').setInputFiles(dropPath);
    await panel.getByRole('button', { name: 'Đính kèm' }).click();
    await panel.locator('[data-attachment="a2"]').waitFor({ timeout: 60_000 });
    await panel.locator('[data-attachment="a2"]').getByRole('button', { name: 'Bỏ phụ lục' }).click();
    await expect.poll(() => panel.locator('[data-attachment]').count(), { timeout: 60_000 }).toBe(1);
    await expect
      .poll(() => panel.locator('[data-attachment="a1"] strong').textContent())
      .toBe('Phụ lục I: Dự toán kinh phí');

    await post('city-specialist', `/api/documents/${id}/submit`);
    await post('city-chairman', `/api/documents/${id}/approve`, { signerId: 'city-vice-chairman' });
    await signAs('city-vice-chairman', id, { capacity: 'KT', onBehalfOfCollective: true });
    await issueAs('city-clerk', id);
    await post('city-clerk', `/api/documents/${id}/send`, { recipients: ['phuong-ba-dinh'] });
    const sealed = (await get('ba-dinh-clerk', `/api/documents/${id}`)).attachments[0];

    const recipient = await documentPageAs('ba-dinh-clerk', id);
    const received = recipient.locator('[data-testid="attachments"] [data-attachment="a1"]');
    await expect
      .poll(() => received.locator('.badge').textContent(), { timeout: 60_000 })
      .toMatch(/Đã đóng dấu/);
    const [file] = await Promise.all([
      recipient.waitForEvent('download'),
      recipient.locator('[data-testid="attachment-download-a1"]').click(),
    ]);
    expect(file.suggestedFilename()).toBe('Bảng kinh phí.csv');
    expect(await readFile(await file.path(), 'utf8')).toBe(csv);
    const [p7s] = await Promise.all([
      recipient.waitForEvent('download'),
      recipient.locator('[data-testid="attachment-signature-a1"]').click(),
    ]);
    expect(p7s.suggestedFilename()).toBe('Bảng kinh phí.csv.p7s');
    const bytes = await readFile(await p7s.path());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sealed.signatureSha256);
  });
});
