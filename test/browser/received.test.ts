import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDirectory } from '../../lambdas/adapters/directory-store';
import { agencyCodeOf } from '../../lambdas/core/exchange/agency-codes';
import { draftDecision } from '../fixtures/documents';
import { stack } from '../support/api';
import { MINISTRY } from '../support/exchange';
import { foreignSigned, ministryPackage, offerFromOutside, pollExchange } from '../support/exchange-outside';
import { issueAndSend } from '../support/flow';
import { capture, describeViolations, launch, type Session, signIn } from './support';

/*
 * Documents from other agencies in Chromium under the deployed CSP (issue 20): a ministry's packages arrive
 * through the local exchange simulator; the ward's clerk opens the screen from the navigation, takes one in
 * (confirmed, numbered in the arrivals, the ministry told "đã tiếp nhận"), and refuses the other, which
 * needs a reason and then stands among the refused packages; on a desktop and a phone, axe clean.
 */

let browser: Browser;
let session: Session | undefined;
let baDinh: string;
const serial = 50_000 + (Date.now() % 40_000);
const subjects: string[] = [];
const documentIds: string[] = [];

interface HubRecord {
  kind: string;
  from: string;
  documentId: string;
  status?: string;
  description?: string;
}
const statusesAtHub = async (documentId: string) =>
  ((await (await fetch(`${stack().services.exchange}/sent`)).json()) as HubRecord[])
    .filter((r) => r.kind === 'status' && r.documentId === documentId)
    .map((r) => [r.from, r.status, r.description]);

beforeAll(async () => {
  browser = await launch();
  Object.assign(process.env, stack().environment);
  const directory = await loadDirectory();
  baDinh = agencyCodeOf(directory, directory.get('phuong-ba-dinh'));
  const pdf = foreignSigned(await draftDecision(1), 'bnv-browser');
  for (const n of [serial, serial + 1]) {
    const { header, body } = ministryPackage([baDinh], n, pdf);
    subjects.push(header.messageHeader.subject);
    documentIds.push(header.messageHeader.documentId);
    await offerFromOutside(await body);
  }
  await pollExchange();
});

afterAll(async () => {
  await session?.context.close().catch(() => undefined);
  await browser?.close();
});

describe('documents from other agencies, in Chromium', () => {
  it("lets the ward's clerk take in one ministry document and refuse another with a reason", async () => {
    session = await signIn(browser, stack().url, 'ba-dinh-clerk', { s3Url: stack().services.s3 });
    const { page } = session;
    await page.getByRole('link', { name: 'Văn bản liên thông' }).click();
    await page.locator('#received-heading').waitFor();
    const card = (subject: string) => page.locator('.received-card').filter({ hasText: subject });
    const first = card(subjects[0] ?? '');
    await first.waitFor();
    await expect.poll(() => first.textContent()).toContain(`${serial}/BNV-CQĐP`);
    expect(await first.textContent()).toContain('Bộ Nội vụ');
    expect(await first.textContent()).toContain('05/01/2026');
    expect(await first.textContent()).toContain('Đã đến');
    const listed = await capture(page, '60-received');
    expect(describeViolations(listed), 'axe on the received screen').toBe('');

    // Taken in: asked first, then numbered in the arrivals and told to the ministry.
    await first.getByRole('button', { name: 'Tiếp nhận' }).click();
    await expect.poll(() => first.textContent()).toContain('vào sổ văn bản đến');
    const asked = await capture(page, '61-received-confirm');
    expect(describeViolations(asked), 'axe on the confirmation').toBe('');
    await first.getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => first.textContent()).toContain('Đã tiếp nhận');
    expect(await first.textContent()).toMatch(/Số đến \d+/);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Tiếp nhận');
    expect(await first.getByRole('button', { name: 'Phân công' }).count()).toBe(1);
    expect(await statusesAtHub(documentIds[0] ?? '')).toEqual([
      [baDinh, 'arrived', undefined],
      [baDinh, 'accepted', undefined],
    ]);

    // Refused: not without a reason; with one, listed among the refused packages with it.
    const second = card(subjects[1] ?? '');
    await second.getByRole('button', { name: 'Từ chối' }).click();
    await second.getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => second.getByRole('alert').textContent()).toContain('Hãy ghi lý do từ chối');
    await second.getByLabel('Lý do từ chối').fill('Gửi nhầm nơi nhận, đề nghị gửi Sở Nội vụ');
    await second.getByRole('button', { name: 'Xác nhận' }).click();
    const refusedList = page.locator('ul[aria-labelledby="received-refused-heading"]');
    await expect.poll(() => refusedList.textContent()).toContain(subjects[1]);
    expect(await refusedList.textContent()).toContain('Gửi nhầm nơi nhận, đề nghị gửi Sở Nội vụ');
    expect(await refusedList.getByRole('button').count()).toBe(0);
    await expect
      .poll(async () => (await statusesAtHub(documentIds[1] ?? '')).map((s) => s[1]))
      .toEqual(['arrived', 'refused']);

    // In English, the same screen without a Vietnamese word of its own.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Documents from other agencies' }).waitFor();
    await expect.poll(() => first.textContent()).toContain('Taken in');
    const english = await capture(page, '62-received-en');
    expect(describeViolations(english), 'axe on the received screen in English').toBe('');
    expect(session.problems).toEqual([]);
  });

  it("lets the issuing clerk send an issued document to a ministry by agency code, and shows the ministry's status", async () => {
    const id = await issueAndSend({ sendTo: ['so-noi-vu'] });
    await session?.context.close().catch(() => undefined);
    session = await signIn(browser, stack().url, 'city-clerk', { s3Url: stack().services.s3 });
    const { page } = session;
    await page.goto(`${stack().url}/#/doc/${id}`);
    const panel = page.locator('section.external-send');
    await panel.waitFor();
    // A code of the wrong shape is refused on the spot, in words.
    await panel.getByLabel('Mã định danh cơ quan nhận').fill('G22');
    await panel.getByRole('button', { name: 'Thêm nơi nhận' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('bốn phần');
    await panel.getByLabel('Mã định danh cơ quan nhận').fill(MINISTRY.organId);
    await panel.getByLabel('Tên cơ quan nhận (không bắt buộc)').fill(MINISTRY.organName ?? '');
    await panel.getByRole('button', { name: 'Thêm nơi nhận' }).click();
    await expect.poll(() => panel.textContent()).toContain(`${MINISTRY.organName} (${MINISTRY.organId})`);
    const ready = await capture(page, '63-external-send');
    expect(describeViolations(ready), 'axe on the send panel').toBe('');
    await panel.getByRole('button', { name: 'Gửi liên thông' }).click();
    await panel.getByRole('button', { name: 'Xác nhận gửi' }).click();
    await expect
      .poll(() => page.locator('.alert-success').textContent())
      .toContain('gửi liên thông đến 1 cơ quan ngoài thành phố');
    // The ministry is among the recipients in the tracking, and the package is at the exchange.
    await expect.poll(() => page.locator('.doc-side').textContent()).toContain(MINISTRY.organName);
    const sent = (await (await fetch(`${stack().services.exchange}/sent`)).json()) as {
      kind: string;
      to: string[];
    }[];
    expect(sent.some((r) => r.kind !== 'status' && r.to.includes(MINISTRY.organId))).toBe(true);
    expect(session.problems).toEqual([]);
  });
});
