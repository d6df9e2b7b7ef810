import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../support/api';
import { capture, describeViolations, launch, type Session, signIn } from './support';

/*
 * The webhooks screen (issue 16): an administrator registers an endpoint and sees its secret once, rotates
 * it (the new secret shown, two signing), opens its deliveries and deletes it; on a desktop and a phone,
 * axe clean. The endpoint is a closed local port: nothing here depends on a receiver.
 */

let browser: Browser;
let session: Session | undefined;

beforeAll(async () => {
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await session?.context.close();
  await browser?.close();
});

describe('webhooks in the web', () => {
  it('registers an endpoint, shows its secret once, rotates it, lists deliveries and deletes it', async () => {
    session = await signIn(browser, stack().url, 'city-admin', { s3Url: stack().services.s3 });
    const { page } = session;
    page.on('dialog', (dialog) => void dialog.accept());
    await page.locator('.folder-link[href="#/webhooks"]').click();
    await page.locator('#webhooks-title').waitFor();
    const url = `http://127.0.0.1:9/browser-${Date.now()}`;
    await page.getByLabel('Địa chỉ nhận (https)').fill(url);
    await page.getByLabel('Hoàn thành xử lý').check();
    await page.getByRole('button', { name: 'Đăng ký webhook' }).click();
    const secret = page.getByTestId('webhook-secret');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    const first = await secret.textContent();
    const item = page.locator('.webhook-list > li', { hasText: url });
    await expect.poll(() => item.textContent()).toContain('1 khóa đang ký');
    const shown = await capture(page, '64-webhooks');
    expect(describeViolations(shown), 'axe on the webhooks screen').toBe('');

    await item.getByRole('button', { name: 'Đổi khóa' }).click();
    await expect.poll(() => secret.textContent()).not.toBe(first);
    await expect.poll(() => item.textContent()).toContain('2 khóa đang ký');
    await item.getByRole('button', { name: 'Các lần gửi' }).click();
    await expect.poll(() => item.textContent()).toContain('Chưa có lần gửi nào.');
    await item.getByRole('button', { name: 'Xóa' }).click();
    await expect.poll(() => page.locator('.webhook-list > li', { hasText: url }).count()).toBe(0);
    expect(session.problems).toEqual([]);
  });
});
