import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, stack } from '../support/api';
import { post, type Signers, signed, toSign, type View } from '../support/flow';
import {
  atLocalhost,
  type Capture,
  capture,
  describeViolations,
  launch,
  type Session,
  signIn,
  type VirtualAuthenticator,
  virtualAuthenticator,
} from './support';

/*
 * Sole control of signatures in Chromium (docs/SECURITY.md): people register their own passkey (Chromium's
 * virtual authenticator) and authenticator app on their profile page; the signing dialog shows what will be
 * signed with its SHA-256 checked against the file the page shows; cancelling before authorization signs
 * nothing; after it no cancel is offered, and a lost answer reads "outcome unknown" until the same request,
 * retried, reports the one signature made. The page is opened at localhost: passkeys need a domain name.
 */

const STC: Signers = {
  drafter: 'stc-specialist',
  approver: 'stc-director',
  signer: 'stc-director',
  capacity: { capacity: 'own' },
};
const SOC_SON: Signers = {
  drafter: 'soc-son-specialist',
  approver: 'soc-son-chairman',
  signer: 'soc-son-chairman',
  capacity: { capacity: 'TM' },
};

let browser: Browser;
const sessions: Session[] = [];
const captures: Capture[] = [];
/** Requests the tests broke on purpose: the console errors they cause are expected. */
const injected: string[] = [];

interface Signer {
  readonly page: Page;
  readonly authenticator: VirtualAuthenticator;
}

/** Signed in at localhost, with a virtual platform authenticator on the page. */
async function as(userId: string): Promise<Signer> {
  const session = await signIn(browser, atLocalhost(stack().url), userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  return { page: session.page, authenticator: await virtualAuthenticator(session.page) };
}

async function shot(page: Page, name: string, options: { network?: boolean } = {}): Promise<void> {
  const captured = await capture(page, name, options);
  captures.push(captured);
  expect(describeViolations(captured), `axe: serious or critical violations on ${name}`).toBe('');
}

const totpFor = (secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
/**
 * A code for the next 30-second step: the server accepts one step either side and each step once, so this
 * one follows any code already used in the current step.
 */
const nextCode = (secret: string) => totpFor(secret).generate({ timestamp: Date.now() + 30_000 });
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function view(userId: string, id: string): Promise<View> {
  const response = await api<View>('GET', `/api/documents/${id}`, { token: await login(userId) });
  expect(response.status).toBe(200);
  return response.body;
}

async function fileSha256(userId: string, id: string): Promise<string> {
  const file = await api<{ url: string }>('GET', `/api/documents/${id}/file?redirect=false`, {
    token: await login(userId),
  });
  const bytes = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
  return createHash('sha256').update(bytes).digest('hex');
}

/** The document page, loaded afresh (no form left open from before). */
async function openDocument(page: Page, id: string): Promise<void> {
  const url = `${atLocalhost(stack().url)}/#/doc/${encodeURIComponent(id)}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator('#doc-title').waitFor();
}

const dialog = (page: Page) => page.locator('dialog.sign-dialog');
const stage = (page: Page) => dialog(page).getAttribute('data-stage');

async function openProfile(page: Page): Promise<void> {
  await page.locator('.topbar a.whoami').click();
  await page.locator('#factors-heading').waitFor();
  await page.locator('[data-testid="authenticators"] .loading').waitFor({ state: 'detached' });
}

/** Registers a passkey on this page's virtual authenticator through the profile page. */
async function registerPasskey(page: Page, label: string): Promise<void> {
  await openProfile(page);
  await page.getByLabel('Tên gợi nhớ cho khóa mới').fill(label);
  await page.locator('button[data-submit="passkey"]').click();
  await page.locator(`[data-passkey="${label}"]`).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const s of sessions) await s.context.close().catch(() => undefined);
  await browser?.close();
});

describe('signing with one’s own authenticator, in Chromium', () => {
  let director: Signer;
  let documentId: string;

  it('registers a passkey and an authenticator app from the profile page', async () => {
    director = await as('stc-director');
    const { page, authenticator } = director;
    await openProfile(page);
    const section = page.locator('[data-testid="authenticators"]');
    await expect
      .poll(() => section.textContent())
      .toMatch(/Chữ ký số chỉ có giá trị khi chính bạn, và chỉ bạn, cho phép tạo ra nó/);
    await expect.poll(() => section.locator('.alert-warning').textContent()).toMatch(/chưa ký được văn bản/);
    await shot(page, '30-authenticators-none');

    // A passkey on this device: Chromium's authenticator makes it (user verified), the server keeps it.
    await registerPasskey(page, 'Máy tính phòng làm việc');
    await expect
      .poll(() => section.locator('[role="status"]').textContent())
      .toBe('Đã thêm khóa truy cập “Máy tính phòng làm việc”.');
    const held = await authenticator.credentials();
    expect(held).toHaveLength(1);
    expect(held[0]?.rpId).toBe('localhost');
    // The same device again: the server lists the passkey it has, the device refuses a second one.
    await page.getByLabel('Tên gợi nhớ cho khóa mới').fill('Lần nữa');
    await page.locator('button[data-submit="passkey"]').click();
    await expect
      .poll(() => section.locator('.factor-add [role="alert"]').textContent())
      .toMatch(/Thiết bị này đã có khóa truy cập của bạn/);
    expect(await authenticator.credentials()).toHaveLength(1);

    // Removing asks first; cancelling keeps it.
    const item = section.locator('[data-passkey="Máy tính phòng làm việc"]');
    await item.getByRole('button', { name: 'Gỡ Máy tính phòng làm việc' }).click();
    await expect.poll(() => item.textContent()).toMatch(/Bạn sẽ không dùng nó để xác nhận chữ ký được nữa/);
    await item.getByRole('button', { name: 'Hủy' }).click();
    await expect.poll(() => item.locator('.factor-confirm').count()).toBe(0);

    // An authenticator app: the secret as a QR code (SVG, under the CSP) and as text; a wrong code is refused.
    await page.locator('button[data-submit="totp-start"]').click();
    const qr = section.locator('svg.qr-code');
    await qr.waitFor();
    expect(await qr.getAttribute('aria-label')).toBe('Mã QR để thêm docflow vào ứng dụng xác thực');
    expect(Number(await qr.getAttribute('data-modules'))).toBeGreaterThanOrEqual(29);
    await section.getByText('Không quét được? Xem khóa bí mật để nhập tay').click();
    const secret = (await section.locator('.totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = (await section.locator('.totp-uri').textContent()) ?? '';
    expect(uri).toMatch(/^otpauth:\/\/totp\/docflow:stc-director\?/);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    await shot(page, '31-authenticator-app-setup');
    const code = totpFor(secret).generate();
    await page.getByLabel('Mã 6 chữ số ứng dụng đang hiển thị').fill(otherThan(code));
    await page.locator('button[data-submit="totp-confirm"]').click();
    await expect
      .poll(() => section.locator('.totp-setup [role="alert"]').textContent())
      .toMatch(/Mã xác thực không đúng hoặc đã được dùng/);
    await page.getByLabel('Mã 6 chữ số ứng dụng đang hiển thị').fill(code);
    await page.locator('button[data-submit="totp-confirm"]').click();
    await expect
      .poll(() => section.locator('[role="status"]').textContent())
      .toBe('Đã thiết lập ứng dụng xác thực.');
    await section.locator('[data-totp="enrolled"]').waitFor();
    await shot(page, '32-authenticators');

    const listed = await api<{ passkeys: { label: string }[]; totp: { confirmedAt: string } | null }>(
      'GET',
      '/api/me/authenticators',
      { token: await login('stc-director') },
    );
    expect(listed.body.passkeys.map((p) => p.label)).toEqual(['Máy tính phòng làm việc']);
    expect(listed.body.totp?.confirmedAt).toEqual(expect.any(String));
  });

  it('shows what will be signed with its SHA-256 checked against the file shown; cancelling signs nothing', async () => {
    const { page } = director;
    documentId = await toSign(STC, { title: 'Về việc thử nghiệm xác nhận chữ ký số bằng khóa truy cập' });
    const expected = await fileSha256('stc-director', documentId);
    await openDocument(page, documentId);
    await page.locator('button[data-action="sign"]').click();
    const prepared = page.waitForResponse(
      (r) => r.url().endsWith(`/api/documents/${documentId}/signature-requests`) && r.status() === 201,
    );
    await page.locator('.action-panel button[data-submit]').click();
    const { requestId } = (await (await prepared).json()) as { requestId: string };
    await expect.poll(() => stage(page)).toBe('ready');

    const item = dialog(page).locator(`.sign-item[data-document="${documentId}"]`);
    expect(await item.locator('code[data-sha256]').getAttribute('data-sha256')).toBe(expected);
    expect(await item.locator('code[data-sha256]').textContent()).toBe(
      `${expected.slice(0, 4)} ${expected.slice(4, 8)} ${expected.slice(8, 12)} ${expected.slice(12, 16)} … ${expected.slice(-4)}`,
    );
    await expect.poll(() => item.locator('[data-hash]').textContent()).toBe('Khớp với văn bản bạn đang xem');
    expect(await item.locator('.sign-item-title').textContent()).toBe(
      'Về việc thử nghiệm xác nhận chữ ký số bằng khóa truy cập',
    );
    // Both factors are offered: the passkey first, the app's code on request.
    await dialog(page).locator('button[data-authorize="passkey"]').waitFor();
    await dialog(page).getByRole('button', { name: 'Dùng mã từ ứng dụng xác thực' }).waitFor();
    await shot(page, '33-sign-dialog');

    // Cancel before authorization: the dialog closes and says nothing was signed, which the server confirms.
    await dialog(page).getByRole('button', { name: 'Hủy' }).click();
    await expect.poll(() => dialog(page).count()).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="sign-cancelled"]').textContent())
      .toBe('Đã hủy. Chưa có chữ ký nào được tạo.');
    const after = await view('stc-director', documentId);
    expect(after.state).toBe('SUBMITTED_TO_SIGNER');
    expect(after.signatures).toEqual([]);
    expect(after.log.map((e: { type: string }) => e.type)).not.toContain('signed');
    // The prepared request cannot be made: it was never authorized.
    const made = await api<{ error: { code: string } }>('POST', `/api/documents/${documentId}/sign`, {
      token: await login('stc-director'),
      body: { requestId },
    });
    expect(made.status).toBe(409);
    expect(made.body.error.code).toBe('signature_request_not_authorized');
    expect(await fileSha256('stc-director', documentId)).toBe(expected);
  });

  it('once authorized, the signature is being made and cannot be cancelled; a lost answer is retried, not repeated', async () => {
    const { page } = director;
    await openDocument(page, documentId);
    await page.locator('button[data-action="sign"]').click();
    await page.locator('.action-panel button[data-submit]').click();
    await expect.poll(() => stage(page)).toBe('ready');

    // The signing request is held until the dialog has been looked at, then reaches the server, whose
    // answer is lost on the way back (a fault injected in the browser's network, not in the server).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const attempts: Request[] = [];
    const firstAnswer: number[] = [];
    await page.route(
      (url) => url.pathname === `/api/documents/${documentId}/sign`,
      async (route) => {
        attempts.push(route.request());
        if (attempts.length > 1) return route.continue();
        await held;
        const response = await route.fetch();
        firstAnswer.push(response.status());
        injected.push(route.request().url());
        await route.abort('connectionreset');
      },
    );
    await dialog(page).locator('button[data-authorize="passkey"]').click();
    await expect.poll(() => stage(page)).toBe('signing');
    await expect
      .poll(() => dialog(page).locator('.sign-progress').textContent())
      .toMatch(/Bạn đã xác nhận\. Đang ký số văn bản….*không thể hủy nữa/);
    expect(await dialog(page).locator('button').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(await stage(page)).toBe('signing');
    // The signing request is held: the network is not idle, and need not be.
    await shot(page, '34-sign-dialog-signing', { network: false });
    release();

    await expect.poll(() => stage(page), { timeout: 120_000 }).toBe('finished');
    const unknown = dialog(page).locator('[data-testid="outcome-unknown"]');
    await expect.poll(() => unknown.textContent()).toMatch(/Chưa rõ kết quả: máy chủ không trả lời/);
    expect(await dialog(page).locator('[data-cancel]').count()).toBe(0);
    await shot(page, '35-sign-outcome-unknown');
    expect(firstAnswer).toEqual([200]);
    // The server did sign: the same request again answers with that signature, not a second one.
    await page.unroute((url) => url.pathname === `/api/documents/${documentId}/sign`);
    await dialog(page).getByRole('button', { name: 'Thử lại đúng yêu cầu này' }).click();
    await expect
      .poll(() => dialog(page).locator('.alert-success').textContent(), { timeout: 120_000 })
      .toBe('Đã ký số văn bản.');
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts;
    expect(second?.headers()['idempotency-key']).toBe(first?.headers()['idempotency-key']);
    expect(second?.postDataJSON()).toEqual(first?.postDataJSON());
    await dialog(page).getByRole('button', { name: 'Đóng' }).click();
    await expect.poll(() => page.locator('.doc-badges').textContent()).toMatch(/Đã ký/);

    const signedView = await view('stc-director', documentId);
    expect(signedView.state).toBe('SIGNED');
    expect(signedView.signatures).toHaveLength(1);
    expect(signedView.log.filter((e: { type: string }) => e.type === 'signed')).toHaveLength(1);
  });

  it('a clerk issues two documents with one authorization from the app (a batch)', async () => {
    const first = await signed(STC, { title: 'Về việc thử nghiệm phát hành theo lô, văn bản thứ nhất' });
    const second = await signed(STC, { title: 'Về việc thử nghiệm phát hành theo lô, văn bản thứ hai' });
    // The clerk's authenticator app, enrolled through the API as the profile page does.
    const { secret } = await post('stc-clerk', '/api/me/totp');
    await post('stc-clerk', '/api/me/totp/confirm', { code: totpFor(secret).generate() });

    const { page } = await as('stc-clerk');
    await page.locator('a[data-folder="outgoing"]').click();
    await page.locator('#folder-heading').waitFor();
    const bar = page.locator('[data-testid="batch-bar"]');
    await bar.waitFor();
    await page.locator(`input[data-select="${first}"]`).check();
    await page.locator(`input[data-select="${second}"]`).check();
    await bar.getByRole('button', { name: 'Cấp số, đóng dấu, phát hành 2 văn bản đã chọn' }).click();
    await expect.poll(() => stage(page)).toBe('ready');
    const items = dialog(page).locator('.sign-item');
    await expect.poll(() => items.count()).toBe(2);
    for (const id of [first, second]) {
      const item = dialog(page).locator(`.sign-item[data-document="${id}"]`);
      expect(await item.locator('code[data-sha256]').getAttribute('data-sha256')).toBe(
        await fileSha256('stc-clerk', id),
      );
      await expect
        .poll(() => item.locator('[data-hash]').textContent())
        .toBe('Khớp với văn bản bạn đang xem');
      // The number reserved for it is shown before the clerk authorizes.
      await expect.poll(() => item.locator('.sign-item-meta').textContent()).toMatch(/\d{2,}\/[^\s]+/);
    }
    // No passkey: the code from the app is asked for at once. A wrong one is refused and nothing is signed.
    const code = page.getByLabel('Mã 6 chữ số trong ứng dụng xác thực');
    await code.fill(otherThan(nextCode(secret)));
    await dialog(page).locator('button[data-authorize="totp"]').click();
    await expect
      .poll(() => dialog(page).locator('[role="alert"]').first().textContent())
      .toMatch(/Mã xác thực không đúng/);
    await expect.poll(() => stage(page)).toBe('ready');
    expect((await view('stc-clerk', first)).state).toBe('SIGNED');
    await shot(page, '36-issue-batch-dialog');
    await code.fill(nextCode(secret));
    await dialog(page).locator('button[data-authorize="totp"]').click();
    await expect
      .poll(() => dialog(page).locator('.alert-success').textContent(), { timeout: 120_000 })
      .toBe('Đã cấp số, đóng dấu và phát hành 2 văn bản.');
    await dialog(page).getByRole('button', { name: 'Đóng' }).click();
    for (const id of [first, second]) {
      const issued = await view('stc-clerk', id);
      expect(issued.state).toBe('ISSUED');
      expect(issued.signatures).toHaveLength(2);
    }
  });

  it('someone with neither a passkey nor an app is sent to their profile; nothing is prepared', async () => {
    const id = await toSign(SOC_SON, { title: 'Về việc thử nghiệm ký khi chưa đăng ký khóa' });
    const { page } = await as('soc-son-chairman');
    const prepared: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/signature-requests')) prepared.push(r.url());
    });
    await openDocument(page, id);
    await page.locator('button[data-action="sign"]').click();
    await page.locator('.action-panel button[data-submit]').click();
    await expect.poll(() => stage(page)).toBe('noFactor');
    await expect
      .poll(() => dialog(page).locator('[role="alert"]').textContent())
      .toMatch(/Bạn chưa có khóa truy cập \(passkey\) hoặc ứng dụng xác thực/);
    expect(prepared).toEqual([]);
    await shot(page, '37-sign-dialog-no-factor');
    await dialog(page).getByRole('link', { name: 'Đăng ký ở trang Thông tin cá nhân' }).click();
    await page.locator('#factors-heading').waitFor();
    expect(await dialog(page).count()).toBe(0);
    expect((await view('soc-son-chairman', id)).state).toBe('SUBMITTED_TO_SIGNER');
  });

  it('no page error happened on any screen', () => {
    const problems = sessions
      .flatMap((s) => s.problems)
      .filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p))
      // The answer the test dropped on purpose.
      .filter((p) => !(injected.length > 0 && /net::ERR_CONNECTION_RESET/.test(p)));
    expect(problems).toEqual([]);
    expect(captures.length).toBeGreaterThanOrEqual(8);
  });
});
