import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingChain } from '../fixtures/signing-flow';
import { api, login, stack } from '../support/api';
import { issueAndSend } from '../support/flow';
import { cityPki } from '../support/pki-fixtures';
import { capture, DESKTOP, describeViolations, enforceCsp, launch, PHONE } from './support';

/*
 * The public verification page (verify.html) in Chromium under the deployed CSP, with no sign-in at all:
 * an issued PDF is shown valid and registered with its number and date (and matched with the id from its
 * QR code), a changed one invalid and unregistered, one sealed by a foreign CA untrusted; on a desktop and
 * a phone, axe clean, and no file left in the intake bucket afterwards.
 */

let browser: Browser;
let context: BrowserContext | undefined;
let id: string;
let issued: Buffer;
let foreign: Buffer;
let doc: { number: number; symbol: string; issuedOn: string };

beforeAll(async () => {
  browser = await launch();
  id = await issueAndSend({ sendTo: ['so-noi-vu'] });
  const token = await login('city-clerk');
  // What the register says: the page must show the number and date as registered.
  const register = await api<{ entries: (typeof doc & { documentId: string })[] }>(
    'GET',
    '/api/registers/outgoing',
    { token },
  );
  const row = register.body.entries.find((e) => e.documentId === id);
  if (!row) throw new Error(`document ${id} is not in the outgoing register`);
  doc = row;
  const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, { token });
  issued = Buffer.from(await (await fetch(file.body.url)).arrayBuffer());
  foreign = Buffer.from((await signingChain(await cityPki(), 1)).sealed);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
});

async function open(viewport: typeof DESKTOP, query = ''): Promise<{ page: Page; problems: string[] }> {
  await context?.close().catch(() => undefined);
  context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await enforceCsp(context, stack().url, stack().services.s3);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${stack().url}/verify.html${query}`);
  await page.locator('h1').waitFor();
  return { page, problems };
}

async function checkFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name, mimeType: 'application/pdf', buffer: bytes });
  await page.getByRole('button', { name: /^(Kiểm tra|Check)$/ }).click();
  await page.locator('.public-result').waitFor();
}

async function leftBehind(): Promise<string[]> {
  const env = stack().environment;
  const s3 = new S3Client({
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    endpoint: stack().services.s3,
    forcePathStyle: true,
  });
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: env.DOCFLOW_INTAKE_BUCKET ?? '', Prefix: 'public-check/' }),
  );
  s3.destroy();
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

describe('public verification page, in Chromium, without sign-in', () => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`shows an issued PDF valid and registered, with the QR code's id matched (${size})`, async () => {
      const { page, problems } = await open(viewport, `?id=${encodeURIComponent(id)}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      await expect.poll(() => page.locator('h1').textContent()).toBe('Kiểm tra văn bản điện tử');
      await checkFile(page, 'quyet-dinh.pdf', issued);
      const result = page.locator('.public-result');
      expect(await result.locator('[data-verdict="valid"]').first().textContent()).toContain(
        'Mọi chữ ký số hợp lệ',
      );
      const registered = await result.locator('[data-registered="yes"]').textContent();
      expect(registered).toContain('Ủy ban nhân dân thành phố Hà Nội');
      const facts = await result.locator('.public-facts').first().textContent();
      expect(facts).toContain(doc.symbol);
      const [y, m, d] = doc.issuedOn.split('-');
      expect(facts).toContain(`${d}/${m}/${y}`);
      expect(await result.locator('[data-id-check="matches"]').count()).toBe(1);
      expect(await result.locator('li[data-kind="personal"]').textContent()).toContain('Ký thay (KT.)');
      expect(await result.locator('li[data-kind="seal"]').textContent()).toContain('Hợp lệ');
      const captured = await capture(page, `30-public-verify-valid-${size}`);
      expect(describeViolations(captured), 'axe on the public page').toBe('');

      // The English switch: the same result in English, nothing Vietnamese but names.
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('Check an electronic document');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await result.locator('[data-registered="yes"]').textContent()).toContain('Issued by');
      expect(await result.locator('li[data-kind="personal"]').textContent()).toContain(
        'Signed on behalf of the head',
      );
      expect(problems).toEqual([]);
    });

    it(`shows a changed PDF invalid and unregistered, and a foreign-sealed one untrusted (${size})`, async () => {
      const { page, problems } = await open(viewport);
      const changed = Buffer.from(issued);
      changed[1500] = (changed[1500] ?? 0) ^ 0x01;
      await checkFile(page, 'changed.pdf', changed);
      const result = page.locator('.public-result');
      await expect.poll(() => result.locator('.alert[data-verdict="invalid"]').count()).toBe(1);
      expect(await result.locator('[data-registered="no"]').count()).toBe(1);
      const capturedChanged = await capture(page, `31-public-verify-changed-${size}`);
      expect(describeViolations(capturedChanged), 'axe on a changed file').toBe('');

      await checkFile(page, 'foreign.pdf', foreign);
      await expect.poll(() => result.locator('[data-registered="no"]').count()).toBe(1);
      await expect
        .poll(() => result.locator('li[data-kind="seal"]').textContent())
        .toContain('Chứng thư số không do cơ quan chứng thực tin cậy cấp');
      expect(await result.locator('.alert[data-verdict="valid"]').count()).toBe(0);
      const capturedForeign = await capture(page, `32-public-verify-foreign-${size}`);
      expect(describeViolations(capturedForeign), 'axe on a foreign file').toBe('');
      expect(problems).toEqual([]);
    });
  }

  it('leaves no file behind in the intake bucket', async () => {
    expect(await leftBehind()).toEqual([]);
  });
});
