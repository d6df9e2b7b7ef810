import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftDecision } from '../fixtures/documents';
import { stack } from '../support/api';
import { tempDir } from '../support/pdf-tools';
import { launch, type Session, signIn } from './support';

/*
 * A joint document on the screens (issue 17, item 3): the new-draft form names a co-issuer; the document
 * page lists the issuers, the lead first, with who has signed and sealed; the co-issuer sees it too.
 */

let browser: Browser;
const sessions: Session[] = [];

beforeAll(async () => {
  browser = await launch();
}, 120_000);
afterAll(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
});

async function as(userId: string) {
  const session = await signIn(browser, stack().url, userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  return session.page;
}

describe('a joint draft', () => {
  it('names its co-issuer on the new-draft form and shows both issuers, to the co-issuer too', async () => {
    const page = await as('city-specialist');
    await page.locator('a.new-draft').click();
    await page.locator('#new-heading').waitFor();
    const pdfPath = join(tempDir('docflow-joint-'), 'joint.pdf');
    writeFileSync(pdfPath, await draftDecision(1));
    await page.getByLabel('Trích yếu nội dung').fill('Kế hoạch liên tịch về cải cách hành chính (thử)');
    const picker = page.locator('[data-testid="co-issuers"]');
    await picker.locator('summary').click();
    await picker.locator('input[type="search"]').fill('Nội vụ');
    await picker.locator('input[data-org="so-noi-vu"]').check();
    await page.getByLabel('Độ mật').selectOption('none');
    await page.getByLabel('Tệp dự thảo (PDF)').setInputFiles(pdfPath);
    await page.locator('button[data-submit]').click();
    await page.locator('#doc-title').waitFor({ timeout: 90_000 });
    const panel = page.locator('[data-testid="joint-issuers"]');
    await expect.poll(() => panel.locator('li').count()).toBe(2);
    expect(await panel.locator('li').first().getAttribute('data-org')).toBe('ubnd-hanoi');
    expect(await panel.locator('li').first().textContent()).toMatch(/chủ trì.*Chưa ký.*Chưa đóng dấu/);
    expect(await panel.locator('li[data-org="so-noi-vu"]').textContent()).toMatch(/Sở Nội vụ/);

    // The co-issuer's director opens the same document.
    const id = page.url().split('/').at(-1) ?? '';
    const director = await as('snv-director');
    await director.goto(`${stack().url}#/doc/${id}`);
    await director.locator('[data-testid="joint-issuers"] li[data-org="so-noi-vu"]').waitFor();
  });
});
