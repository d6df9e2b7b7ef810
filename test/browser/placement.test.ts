import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullDecision } from '../fixtures/full-page';
import { api, login, stack } from '../support/api';
import { CITY, draft, get, issueAs, post, signAs } from '../support/flow';
import { tempDir, writeTemp } from '../support/pdf-tools';
import { capture, describeViolations, type Session, signIn } from './support';

/*
 * Issue 18, item 1: the signature block, the seal and the number/date line are proposed from the page's
 * layout, shown over the page, moved by keyboard and by drag; a position over the text is refused with the
 * reason; the leader sees where the signature goes before authorizing; the issued file has them where
 * saved, and poppler's rendering shows no text pixel of the draft changed.
 */

let browser: Browser;
const sessions: Session[] = [];
let dir: string;
let id: string;
let original: Uint8Array;

beforeAll(async () => {
  browser = await (await import('./support')).launch();
  dir = tempDir('docflow-placement-');
  original = await fullDecision();
  id = await draft({ pdf: original, title: 'Về việc ban hành Quy chế (30 điều, đặt chữ ký)' });
}, 180_000);
afterAll(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
});

async function openAs(userId: string): Promise<Page> {
  const session = await signIn(browser, stack().url, userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  const { page } = session;
  await page.goto(`${stack().url}/#/doc/${encodeURIComponent(id)}`);
  try {
    await page.locator('#doc-title').waitFor({ timeout: 60_000 });
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\n${await page.locator('body').textContent()}\n${session.problems.join('\n')}`,
    );
  }
  return page;
}

const box = (page: Page, item: string) =>
  page.locator(`[data-testid="placement"] [data-placement-item="${item}"]`);

async function placement(userId: string) {
  return (await get(userId, `/api/documents/${id}`)).document.placement;
}

/** Pages rendered in grey by pdftoppm. */
function render(pdf: Uint8Array, name: string): Buffer {
  const path = writeTemp(dir, `${name}.pdf`, pdf);
  execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', path, join(dir, name)]);
  return readFileSync(join(dir, `${name}.pgm`));
}

describe('placing the signature, the seal and the number/date (issue 18)', () => {
  it('the drafter sees the proposal over the page, is refused over the text, and moves by keyboard and drag', async () => {
    const proposed = await placement(CITY.drafter);
    expect(proposed.signature.page).toBe(0);
    const page = await openAs(CITY.drafter);
    await page.locator('button[data-action="place"]').click();
    await page.locator('[data-testid="placement"] canvas.pdf-page').waitFor({ timeout: 60_000 });
    for (const item of ['signature', 'seal', 'number', 'date']) await box(page, item).waitFor();
    const shot = await capture(page, 'placement-editor');
    expect(describeViolations(shot)).toBe('');

    // By keyboard, onto the articles: the server refuses and says why, in Vietnamese.
    await box(page, 'signature').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(() => page.locator('.placement-unsaved').count()).toBe(1);
    await page.locator('[data-testid="placement-save"]').click();
    await expect
      .poll(() => page.locator('[data-testid="placement"] .alert-error').textContent())
      .toMatch(/Không thể đặt chữ ký ở vị trí này: vị trí đè lên chữ của trang 1\./);
    const refused = await capture(page, 'placement-refused');
    expect(describeViolations(refused)).toBe('');
    expect(await placement(CITY.drafter)).toEqual(proposed);

    // Back, then dragged down a little by the mouse, into the free corner: saved.
    await page.getByRole('button', { name: 'Về vị trí đã lưu' }).click();
    const at = await box(page, 'signature').boundingBox();
    if (!at) throw new Error('no signature box');
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width / 2 - 4, at.y + at.height / 2 + 14, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid="placement-save"]').click();
    await expect.poll(() => page.locator('.alert-success').textContent()).toMatch(/Đã lưu vị trí\./);
    const saved = await placement(CITY.drafter);
    expect(saved.signature.y).toBeLessThan(proposed.signature.y);
    expect(saved.seal.y - saved.signature.y).toBeCloseTo(proposed.seal.y - proposed.signature.y, 0);
  }, 240_000);

  it('the API refuses a position over the text in the caller’s language (422), and changes nothing', async () => {
    const before = await placement(CITY.drafter);
    const over = { ...before, date: { ...before.date, x: 40, y: 500 } };
    const answer = await api<{ error: { code: string; message: string } }>(
      'PUT',
      `/api/documents/${id}/placement`,
      { token: await login(CITY.drafter), body: over, headers: { 'accept-language': 'en' } },
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error.message).toBe('The date line cannot go there: it would cover text on page 1.');
    expect(await placement(CITY.drafter)).toEqual(before);
  });

  it('the leader sees where the signature goes before authorizing; the issued file has it there, over no text', async () => {
    const saved = await placement(CITY.drafter);
    await post(CITY.drafter, `/api/documents/${id}/submit`);
    await post(CITY.approver, `/api/documents/${id}/approve`, { signerId: CITY.signer });
    const page = await openAs(CITY.signer);
    await page.locator('button[data-action="sign"]').click();
    await page.locator('[data-testid="placement"] canvas.pdf-page').waitFor({ timeout: 60_000 });
    expect(await box(page, 'signature').getAttribute('aria-label')).toMatch(/^Chữ ký: trang 1,/);
    expect(await page.locator('[data-testid="placement"] button[data-placement-item]').count()).toBe(0);
    const shot = await capture(page, 'placement-leader');
    expect(describeViolations(shot)).toBe('');

    await signAs(CITY.signer, id, CITY.capacity ?? {});
    await issueAs('city-clerk', id);
    const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, {
      token: await login(CITY.signer),
    });
    const issued = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
    // The signature widget sits where the placement was saved.
    const text = Buffer.from(issued).toString('latin1');
    const rect = saved.signature;
    const corner = `${Number(rect.x.toFixed(3))} ${Number(rect.y.toFixed(3))}`;
    expect(text).toContain(corner);
    const before = render(original, 'draft');
    const after = render(issued, 'issued');
    expect(after.length).toBe(before.length);
    let covered = 0;
    let inked = 0;
    for (let i = 20; i < before.length; i++) {
      const b = before[i] as number;
      const a = after[i] as number;
      if (b < 160 && Math.abs(a - b) > 48) covered++;
      if (b >= 160 && Math.abs(a - b) > 48) inked++;
    }
    expect(covered).toBe(0);
    expect(inked).toBeGreaterThan(500);
  }, 300_000);

  it('the issued document: jump to each signature with its validity, zoom, select and search the text', async () => {
    const page = await openAs(CITY.signer);
    await page.locator('.pdf-slot .textLayer[data-rendered="true"]').first().waitFor({ timeout: 60_000 });
    // Each signature, with what its check says (the seal and the leader's signature).
    await expect
      .poll(() => page.locator('[data-signature] [data-validity="valid"]').count(), { timeout: 60_000 })
      .toBe(2);
    expect(await page.locator('[data-signature="1"]').textContent()).toMatch(
      /^Xem chữ ký 1 \(trang 1\) \(Hợp lệ\)$/,
    );
    await page.locator('[data-signature="1"]').click();
    await page.locator('.pdf-sig-mark').waitFor();
    // The text is there to select: the words of the articles, in the text layer.
    const words = await page.locator('.pdf-slot .textLayer').first().textContent();
    expect(words).toContain('Điều 12.');
    await page.locator('[data-testid="pdf-search"]').fill('phường số 7');
    await page.locator('[data-testid="pdf-search"]').press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="pdf-found"]').textContent())
      .toBe('Tìm thấy “phường số 7” 1 lần, trên 1 trang.');
    await expect.poll(() => page.locator('.textLayer .pdf-hit').count()).toBeGreaterThan(0);
    await page.locator('[data-testid="pdf-zoom-in"]').click();
    expect(await page.locator('[data-testid="pdf-zoom"]').textContent()).toBe('125%');
    await page.locator('.pdf-slot canvas[data-rendered="true"]').first().waitFor();
    const shot = await capture(page, 'preview-search-zoom');
    expect(describeViolations(shot)).toBe('');
    await page.locator('[data-testid="pdf-search"]').fill('không có trong văn bản');
    await page.locator('[data-testid="pdf-search"]').press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="pdf-found"]').textContent())
      .toBe('Không tìm thấy “không có trong văn bản” trong văn bản.');
  }, 240_000);
});
