import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../support/api';
import { launch, type Session, signIn } from './support';

/*
 * An administrator's position reads no document, inbox or register (issue 21): the web shows them their
 * profile, no folders, and asks the API for nothing it would refuse.
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

describe('an administrator in the web', () => {
  it('lands on their profile with no folders, and no request of theirs is refused', async () => {
    const refused: string[] = [];
    session = await signIn(browser, stack().url, 'city-admin', { s3Url: stack().services.s3 });
    const { page } = session;
    page.on('response', (response) => {
      if (response.url().includes('/api/') && response.status() >= 400)
        refused.push(`${response.status()} ${response.url()}`);
    });
    await expect.poll(() => new URL(page.url()).hash).toBe('#/me');
    // The folder list stays empty after the shell has settled; an inbox page would have asked for counts.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('.folder-link').count()).toBe(0);
    expect(refused).toEqual([]);
    expect(session.problems).toEqual([]);
  });
});
