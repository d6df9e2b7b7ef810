import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../support/api';
import { sent } from '../support/flow';
import { launch, type Session, signIn } from './support';

/*
 * The live inbox in a real browser: a ward clerk's incoming folder is open; the city sends a document to
 * the ward; it appears in the list, with the folder count, the bell and the tab title, without a reload.
 * Then the socket is cut; the page reconnects and catches up on a document sent meanwhile.
 */

let browser: Browser;
const sessions: Session[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const s of sessions) await s.context.close().catch(() => undefined);
  await browser?.close();
});

describe('the live inbox', () => {
  it('shows a document the city sends in an open ward inbox without a reload, and catches up after a cut', async () => {
    const session = await signIn(browser, stack().url, 'soc-son-clerk', { s3Url: stack().services.s3 });
    sessions.push(session);
    const { page } = session;
    await page.goto(`${stack().url}/#/folder/incoming`);
    await page.locator('.topbar .notification-bell[data-live="online"]').waitFor();
    let reloads = 0;
    page.on('load', () => {
      reloads++;
    });
    const unreadBefore = Number(await page.locator('.notification-bell').getAttribute('data-unread'));

    const title = `Về việc thử cập nhật trực tiếp ${Date.now()}`;
    await sent(['xa-soc-son'], undefined, undefined, { title });
    const shownAt = Date.now();
    await page.locator('.doc-row', { hasText: title }).waitFor({ timeout: 10_000 });
    expect(Date.now() - shownAt).toBeLessThan(5_000);
    await expect
      .poll(async () => Number(await page.locator('.notification-bell').getAttribute('data-unread')))
      .toBe(unreadBefore + 1);
    await expect.poll(() => page.title()).toMatch(new RegExp(`^\\(${unreadBefore + 1}\\) `));
    expect(reloads).toBe(0);

    // The network drops: the page stays, the socket closes, a document is sent meanwhile; back online, the
    // page reconnects and reads again.
    await session.context.setOffline(true);
    await fetch(`${stack().url}/api/dev/live/drop`, { method: 'POST' });
    // The socket really closed: the page says it is reconnecting.
    await page.locator('.notification-bell[data-live="offline"]').waitFor({ timeout: 15_000 });
    const missed = `Về việc gửi khi mất mạng ${Date.now()}`;
    await sent(['xa-soc-son'], undefined, undefined, { title: missed });
    await session.context.setOffline(false);
    await page.locator('.doc-row', { hasText: missed }).waitFor({ timeout: 40_000 });
    expect(reloads).toBe(0);
    expect(
      session.problems.filter((p) => !/WebSocket|ERR_INTERNET_DISCONNECTED|Failed to load/.test(p)),
    ).toEqual([]);
  });
});
