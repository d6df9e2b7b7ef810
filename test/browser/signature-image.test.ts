import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signaturePng } from '../../local/signature-art';
import { stack } from '../support/api';
import { capture, describeViolations, launch, type Session, signIn } from './support';

/*
 * "Chữ ký của tôi" in Chromium under the deployed CSP: a ward chairman opens their profile from the top
 * bar, sees the seeded signature image, has a black one refused with the server's reason, and replaces
 * it with a blue one.
 */

const OFFICIAL = 'hoan-kiem-chairman';

let browser: Browser;
let session: Session | undefined;
let workDir: string;

beforeAll(async () => {
  browser = await launch();
  workDir = await mkdtemp(join(tmpdir(), 'docflow-signature-'));
});

afterAll(async () => {
  await session?.context.close().catch(() => undefined);
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The shown image's natural size and the hash it says it is, once it has loaded. */
async function shownImage(page: Page): Promise<{ width: number; height: number; sha256: string | null }> {
  const image = page.locator('.signature-image-current img');
  await expect
    .poll(() => image.evaluate((img) => (img as unknown as { complete: boolean }).complete))
    .toBe(true);
  const { width, height } = await image.evaluate((img) => {
    const element = img as unknown as { naturalWidth: number; naturalHeight: number };
    return { width: element.naturalWidth, height: element.naturalHeight };
  });
  return { width, height, sha256: await image.getAttribute('data-sha256') };
}

describe('my signature, in Chromium', () => {
  it('shows the seeded image, refuses a black one, replaces it with a blue one, and removes it', async () => {
    session = await signIn(browser, stack().url, OFFICIAL, { s3Url: stack().services.s3 });
    const { page } = session;
    await page.locator('.topbar a.whoami').click();
    await page.locator('#profile-heading').waitFor();
    await page.locator('#signature-heading').waitFor();
    expect(await shownImage(page)).toMatchObject({ width: 480, height: 160 });
    const captured = await capture(page, '20-my-signature');
    expect(describeViolations(captured), 'axe on the profile page').toBe('');

    const fileInput = page.locator('.signature-upload input[type="file"]');
    const submit = page.locator('button[data-submit="signature"]');

    const black = PNG.sync.read(Buffer.from(signaturePng('Lưu Văn Uy')));
    for (let i = 0; i < black.data.length; i += 4) black.data.fill(0, i, i + 3);
    const blackPath = join(workDir, 'chu-ky-mau-den.png');
    await writeFile(blackPath, PNG.sync.write(black));
    await fileInput.setInputFiles(blackPath);
    await submit.click();
    await expect
      .poll(() => page.locator('.signature-upload .alert-error').textContent(), { timeout: 30_000 })
      .toMatch(/màu xanh/);
    expect(await shownImage(page)).toMatchObject({ width: 480, height: 160 });

    const blue = signaturePng('Lưu Văn Uy (mẫu mới)', { width: 360, height: 120 });
    const bluePath = join(workDir, 'chu-ky-moi.png');
    await writeFile(bluePath, blue);
    await fileInput.setInputFiles(bluePath);
    await expect.poll(() => page.locator('.signature-upload .signature-paper img').count()).toBe(1);
    await submit.click();
    await expect
      .poll(() => page.locator('.alert-success').textContent(), { timeout: 30_000 })
      .toMatch(/Đã cập nhật ảnh chữ ký/);
    const sha256 = createHash('sha256').update(blue).digest('hex');
    await expect.poll(async () => (await shownImage(page)).sha256, { timeout: 30_000 }).toBe(sha256);
    expect(await shownImage(page)).toEqual({ width: 360, height: 120, sha256 });
    // The form is fresh again: no file picked, no preview.
    expect(await page.locator('.signature-upload .signature-paper img').count()).toBe(0);
    await capture(page, '21-my-signature-replaced');

    // Removing it asks first; cancelling keeps it, confirming removes it.
    await page.getByRole('button', { name: 'Gỡ ảnh chữ ký' }).click();
    await page.getByRole('button', { name: 'Hủy' }).click();
    expect(await shownImage(page)).toEqual({ width: 360, height: 120, sha256 });
    await page.getByRole('button', { name: 'Gỡ ảnh chữ ký' }).click();
    const confirmation = await capture(page, '22-my-signature-remove');
    expect(describeViolations(confirmation), 'axe on the removal confirmation').toBe('');
    await page.getByRole('button', { name: 'Gỡ ảnh', exact: true }).click();
    await expect
      .poll(() => page.locator('.alert-success').textContent(), { timeout: 30_000 })
      .toMatch(/Đã gỡ ảnh chữ ký/);
    await expect.poll(() => page.locator('.signature-image-current').count()).toBe(0);
    await expect.poll(() => page.locator('p.empty').textContent()).toMatch(/chưa có ảnh chữ ký/);
    expect(session.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });
});
