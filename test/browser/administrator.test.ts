import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../support/api';
import { capture, describeViolations, launch, PHONE, type Session, signIn } from './support';

/*
 * An administrator's position reads no document, inbox or register (issue 21): the web shows them the
 * administration of people (issue 19), no folders, and asks the API for nothing it would refuse. On that
 * screen they add people to a ward, change one's position and record their departure with a successor; on a
 * desktop and a phone, axe clean.
 */

const ORG = 'phuong-cua-nam';
const suffix = randomUUID().slice(0, 6);
const LEAVER = { id: `cua-nam-leaver-${suffix}`, name: 'Lê Thị Rời' };
const SUCCESSOR = { id: `cua-nam-successor-${suffix}`, name: 'Phạm Văn Tiếp' };

let browser: Browser;
let session: Session | undefined;

beforeAll(async () => {
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await session?.context.close();
  await browser?.close();
});

describe('an administrator in the web', () => {
  it('lands on the people they manage with no folders, and no request of theirs is refused', async () => {
    const refused: string[] = [];
    session = await signIn(browser, stack().url, 'city-admin', { s3Url: stack().services.s3 });
    const { page } = session;
    page.on('response', (response) => {
      if (response.url().includes('/api/') && response.status() >= 400)
        refused.push(`${response.status()} ${response.url()}`);
    });
    await expect.poll(() => new URL(page.url()).hash).toBe('#/admin');
    await page.locator('#admin-heading').waitFor();
    await expect.poll(() => page.locator('.admin-table').textContent()).toContain('Vũ Thị Giang');
    await page.waitForLoadState('networkidle');
    // No inbox folder: the links are the people screen and the delegations they record.
    expect(await page.locator('.folder-link[data-folder]').count()).toBe(0);
    expect(
      await page.locator('.folder-link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['#/delegations', '#/admin', '#/webhooks']);
    // Themselves: no action on their own row (nobody changes their own position).
    expect(await page.locator('tr[data-person="city-admin"] button').count()).toBe(0);
    expect(refused).toEqual([]);
    expect(session.problems).toEqual([]);
  });

  it('adds two people to a ward, moves one, and records their departure with the other as successor', async () => {
    if (!session) throw new Error('signed in by the test before');
    const { page } = session;
    await page.getByLabel('Cơ quan', { exact: true }).selectOption(ORG);
    await expect.poll(() => page.locator('.admin-people').textContent()).toContain('người');

    for (const person of [LEAVER, SUCCESSOR]) {
      await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
      const form = page.locator('form.admin-form');
      await form.getByLabel('Mã người dùng').fill(person.id);
      await form.getByLabel('Họ và tên').fill(person.name);
      await form.getByLabel('Vai trò').selectOption('specialist');
      await form.getByRole('button', { name: 'Lưu' }).click();
      await expect
        .poll(() => page.locator('.alert-success').textContent())
        .toContain(`Đã thêm ${person.name}`);
      await page.locator(`tr[data-person="${person.id}"]`).waitFor();
    }
    const leaverRow = page.locator(`tr[data-person="${LEAVER.id}"]`);
    expect(await leaverRow.locator('[data-certificate]').getAttribute('data-certificate')).toBe('none');
    const list = await capture(page, '45-administration');
    expect(describeViolations(list), 'axe on the people list').toBe('');

    // A change of position: effective at once.
    await leaverRow.getByRole('button', { name: 'Chuyển vị trí' }).click();
    const move = page.locator('form.admin-form');
    await move.getByLabel('Vai trò').selectOption('clerk');
    await move.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('.alert-success').textContent()).toContain('vị trí mới');
    // The usual title follows the role.
    await expect.poll(() => leaverRow.locator('td').nth(1).textContent()).toMatch(/^Văn thưVăn thư$/);

    // The departure, on a phone: the successor chosen, the outcome told.
    await page.setViewportSize(PHONE);
    await leaverRow.getByRole('button', { name: 'Ghi nhận nghỉ việc' }).click();
    const depart = page.locator('form.admin-departure');
    await depart.getByLabel('Người tiếp nhận công việc').selectOption(SUCCESSOR.id);
    const form = await capture(page, '46-departure');
    expect(describeViolations(form), 'axe on the departure form').toBe('');
    await page.setViewportSize(PHONE);
    await depart.getByRole('button', { name: 'Xác nhận nghỉ việc' }).click();
    const notice = page.locator('.alert-success');
    await expect.poll(() => notice.textContent()).toContain(`${LEAVER.name} đã nghỉ việc`);
    expect(await notice.textContent()).toContain(`chuyển cho ${SUCCESSOR.name}`);
    expect(await notice.textContent()).toContain('Tài khoản đăng nhập đã bị khóa');
    await expect.poll(() => leaverRow.count()).toBe(0);
    await page.locator(`tr[data-person="${SUCCESSOR.id}"]`).waitFor();
    const after = await capture(page, '47-after-departure');
    expect(describeViolations(after), 'axe after the departure').toBe('');
    expect(session.problems).toEqual([]);
  });
});
