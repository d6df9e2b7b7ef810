import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftDecision } from '../fixtures/documents';
import { stack } from '../support/api';
import { tempDir } from '../support/pdf-tools';
import { launch, type Session, signIn } from './support';

/*
 * A document's files on the new-draft screen (issue #17): the classification it asks for, a secret
 * document refused, and a Word draft converted with LibreOffice and shown with its source.
 */

let browser: Browser;
let dir: string;
const sessions: Session[] = [];

beforeAll(async () => {
  browser = await launch();
  dir = tempDir('docflow-files-');
}, 120_000);
afterAll(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
});

async function newDraftAs(userId: string) {
  const session = await signIn(browser, stack().url, userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  const { page } = session;
  await page.locator('a.new-draft').click();
  await page.locator('#new-heading').waitFor();
  return page;
}

describe('the new-draft screen', () => {
  it('asks for the classification; a document marked Mật is refused with the rule and nothing is created', async () => {
    const page = await newDraftAs('city-specialist');
    const pdfPath = join(dir, 'mat.pdf');
    writeFileSync(pdfPath, await draftDecision(1));
    await page.getByLabel('Trích yếu nội dung').fill('Về phương án bảo vệ mục tiêu (thử)');
    await page.getByLabel('Tệp dự thảo (PDF)').setInputFiles(pdfPath);
    // No classification chosen: asked for.
    await page.locator('button[data-submit]').click();
    await expect.poll(() => page.locator('[role="alert"]').textContent()).toBe('Chọn độ mật của văn bản.');
    // Mật: the screen says the rule at once, and the server refuses it when sent anyway.
    await page.getByLabel('Độ mật').selectOption('secret');
    await expect
      .poll(() => page.locator('[data-classification-refused]').textContent())
      .toMatch(/bí mật nhà nước/);
    await page.locator('button[data-submit]').click();
    await expect
      .poll(() => page.locator('.alert-error:not([data-classification-refused])').textContent())
      .toMatch(/Không tiếp nhận văn bản có nội dung bí mật nhà nước \(độ mật: Mật\)/);
    expect(page.url()).not.toMatch(/#\/doc\//);
  });

  it('a Word draft is converted to PDF, shown, and named as converted from its .docx source', async () => {
    const page = await newDraftAs('city-specialist');
    const docxPath = join(dir, 'quyet-dinh.docx');
    writeFileSync(
      docxPath,
      readFileSync(join(import.meta.dirname, '..', 'fixtures', 'word', 'quyet-dinh-d30.docx')),
    );
    await page.getByLabel('Trích yếu nội dung').fill('Về việc tổ chức Tết Nguyên đán Bính Ngọ 2026 (Word)');
    await page.getByLabel('Độ mật').selectOption('none');
    await page.getByLabel('Tệp dự thảo (PDF)').setInputFiles(docxPath);
    await page.locator('button[data-submit]').click();
    await page.locator('#doc-title').waitFor({ timeout: 90_000 });
    await expect
      .poll(() => page.locator('[data-source-format="docx"]').textContent())
      .toMatch(/Chuyển từ tệp \.docx; tệp gốc được lưu kèm\./);
    await page.locator('canvas.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 60_000 });
  });
});
