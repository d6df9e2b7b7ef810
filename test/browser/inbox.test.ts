import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftDecision } from '../fixtures/documents';
import { api, login, stack } from '../support/api';
import { uploadTo } from '../support/upload';
import {
  atLocalhost,
  type Capture,
  capture,
  describeViolations,
  enforceCsp,
  launch,
  type Session,
  signIn,
  virtualAuthenticator,
} from './support';

/*
 * The web inbox in a real browser against the stack the run started: an outgoing decision from draft to
 * every ward, its arrival at a ward, and the auditor's view, each step through the screens people use.
 * Each main screen is saved at desktop and phone sizes and checked with axe-core.
 */

const SUBJECT = 'Về việc triển khai tiếp nhận văn bản điện tử tại phường, xã (thử nghiệm giao diện)';

let browser: Browser;
let workDir: string;
let pdfPath: string;
let documentId: string;
const sessions: Session[] = [];
const captures: Capture[] = [];

async function as(userId: string, options: { clock?: number } = {}): Promise<Page> {
  const session = await signIn(browser, stack().url, userId, { ...options, s3Url: stack().services.s3 });
  sessions.push(session);
  return session.page;
}

/**
 * A signer: signed in at localhost (passkeys need a domain name), with Chromium's virtual authenticator on
 * the page and a passkey registered on it from the profile page, as a leader or clerk does once.
 */
async function asSigner(userId: string): Promise<Page> {
  const session = await signIn(browser, atLocalhost(stack().url), userId, { s3Url: stack().services.s3 });
  sessions.push(session);
  const { page } = session;
  await virtualAuthenticator(page);
  await page.locator('.topbar a.whoami').click();
  await page.getByLabel('Tên gợi nhớ cho khóa mới').fill('Máy tính cơ quan');
  await page.locator('button[data-submit="passkey"]').click();
  await page.locator('[data-passkey="Máy tính cơ quan"]').waitFor({ timeout: 30_000 });
  return page;
}

/** The signing dialog: what will be signed, checked against the file shown, then the person's passkey. */
async function authorizeWithPasskey(page: Page, screenshot?: string): Promise<void> {
  const dialog = page.locator('dialog.sign-dialog');
  await expect.poll(() => dialog.getAttribute('data-stage'), { timeout: 60_000 }).toBe('ready');
  await expect
    .poll(() => dialog.locator('[data-hash]').allTextContents())
    .toEqual(['Khớp với văn bản bạn đang xem']);
  if (screenshot) await shot(page, screenshot);
  await dialog.locator('button[data-authorize="passkey"]').click();
  await expect.poll(() => dialog.getAttribute('data-stage'), { timeout: 120_000 }).toBe('finished');
  // The outcome as the dialog tells it (on a failure, what it said instead).
  expect(await dialog.locator('.sign-outcome').textContent()).toMatch(
    /^Đã (ký số văn bản|cấp số \S+, đóng dấu)/,
  );
  await dialog.getByRole('button', { name: 'Đóng' }).click();
}

async function shot(page: Page, name: string): Promise<void> {
  const captured = await capture(page, name);
  captures.push(captured);
  expect(describeViolations(captured), `axe: serious or critical violations on ${name}`).toBe('');
}

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.locator(`a[data-folder="${folder}"]`).click();
  await page.locator('#folder-heading').waitFor();
  await page.locator('.loading').waitFor({ state: 'detached' });
}

async function openFromFolder(page: Page, folder: string, search: string): Promise<void> {
  await openFolder(page, folder);
  await page.getByLabel(/Tìm theo số, ký hiệu hoặc trích yếu/).fill(search);
  const row = page.locator('.doc-row', { hasText: SUBJECT });
  await expect.poll(() => row.count()).toBe(1);
  await row.locator('a').click();
  await page.locator('#doc-title').waitFor();
  documentId ??= decodeURIComponent(page.url().split('#/doc/')[1] ?? '');
}

async function act(page: Page, action: string): Promise<void> {
  await page.locator(`button[data-action="${action}"]`).click();
}

async function submitForm(page: Page): Promise<void> {
  await page.locator('.action-panel button[data-submit]').click();
}

async function expectDone(page: Page): Promise<void> {
  await page.locator('.alert-success').waitFor({ timeout: 60_000 });
}

function pageExpect(page: Page) {
  return {
    text: (selector: string, text: string | RegExp) =>
      expect
        .poll(async () => (await page.locator(selector).first().textContent()) ?? '', { timeout: 60_000 })
        .toMatch(text),
  };
}

beforeAll(async () => {
  browser = await launch();
  workDir = await mkdtemp(join(tmpdir(), 'docflow-browser-'));
  pdfPath = join(workDir, 'du-thao-quyet-dinh.pdf');
  await writeFile(pdfPath, await draftDecision(2));
});

afterAll(async () => {
  for (const s of sessions) await s.context.close().catch(() => undefined);
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('web inbox, in Chromium', () => {
  it('shows the sign-in screen with demo users grouped by organisation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await enforceCsp(context, stack().url, stack().services.s3);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(stack().url);
    await expect.poll(() => page.locator('.org-group').count()).toBeGreaterThan(3);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('vi');
    const city = page.locator('.org-group', { hasText: 'Ủy ban nhân dân thành phố Hà Nội' });
    await expect
      .poll(() => city.locator('button[data-user="city-chairman"]').textContent())
      .toMatch(/Chủ tịch · Lãnh đạo/);
    await shot(page, '01-sign-in');
    // English on request, and back.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Đăng nhập');

    // By keyboard alone: find a person, Tab to them, Enter; then skip to the content.
    await page.getByLabel('Tìm người dùng hoặc đơn vị').focus();
    await page.keyboard.type('Hoang Quoc Bao');
    await expect.poll(() => page.locator('.user-button').count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.topbar .whoami-name').textContent()).toBe('Hoàng Quốc Bảo');
    await page.locator('#audit-heading').waitFor();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate('document.activeElement.textContent'))
      .toBe('Bỏ qua, đến nội dung chính');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('main');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a city specialist drafts a decision, uploads its PDF with progress, and submits it', async () => {
    const page = await as('city-specialist');
    await page.locator('a.new-draft').click();
    await page.locator('#new-heading').waitFor();

    // Nothing typed is lost when the form is refused: here, no subject yet.
    await page.getByLabel('Loại văn bản').selectOption('quyet-dinh');
    await page.getByLabel('Độ khẩn').selectOption('urgent');
    await page.getByLabel('Tệp dự thảo (PDF)').setInputFiles(pdfPath);
    await page.locator('button[data-submit]').click();
    const error = page.locator('[role="alert"]');
    await expect.poll(() => error.textContent()).toBe('Nhập trích yếu nội dung của văn bản.');
    expect(await page.getByLabel('Độ khẩn').inputValue()).toBe('urgent');
    expect(await page.getByLabel('Tệp dự thảo (PDF)').inputValue()).toMatch(/du-thao-quyet-dinh\.pdf$/);
    await shot(page, '02-new-draft-error');

    await page.getByLabel('Trích yếu nội dung').fill(SUBJECT);
    await page.getByLabel('Độ mật').selectOption('none');
    // Watch the upload: the PDF goes straight to storage as a presigned POST form (its key a field), and
    // the progress bar reaches 100 %.
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST' || new URL(request.url()).pathname.startsWith('/api/')) return;
      const form = request.postDataBuffer()?.toString('latin1') ?? '';
      uploads.push(/name="key"\r\n\r\n([^\r]*)/.exec(form)?.[1] ?? request.url());
    });
    await page.evaluate(`(() => {
      window.progressSeen = [];
      new MutationObserver(() => {
        const bar = document.querySelector('.progress progress');
        if (bar) window.progressSeen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.locator('button[data-submit]').click();
    await page.locator('#doc-title').waitFor({ timeout: 60_000 });
    documentId = decodeURIComponent(page.url().split('#/doc/')[1] ?? '');
    expect(documentId).not.toBe('');
    expect(uploads).toEqual([expect.stringMatching(/^uploads\/.*draft\.pdf$/)]);
    expect(await page.evaluate('window.progressSeen')).toContain(100);
    await pageExpect(page).text('#doc-title', SUBJECT);
    await pageExpect(page).text('.doc-badges', /Dự thảo/);
    await pageExpect(page).text('.doc-badges', /Khẩn/);
    // The PDF is rendered by pdf.js, both pages.
    await page.locator('canvas.pdf-page[data-rendered="true"]').nth(1).waitFor({ timeout: 60_000 });
    await shot(page, '03-draft');

    // Submitting names who will review it before it goes.
    await act(page, 'submit');
    await expect
      .poll(() => page.locator('[data-testid="confirm-reviewers"] li').allTextContents())
      .toContainEqual(expect.stringMatching(/^Nguyễn Văn Thành — /));
    await submitForm(page);
    await pageExpect(page).text('.doc-badges', /Chờ duyệt/);
    const view = await api<{ state: string; document: { urgency: string; pageCount: number } }>(
      'GET',
      `/api/documents/${documentId}`,
      {
        token: await login('city-specialist'),
      },
    );
    expect(view.body).toMatchObject({ state: 'UNDER_REVIEW', document: { urgency: 'urgent', pageCount: 2 } });
  });

  it('the city chairman approves it for the vice-chairman to sign', async () => {
    const page = await as('city-chairman');
    await openFolder(page, 'drafts');
    await shot(page, '04-folder-drafts');
    await openFromFolder(page, 'drafts', 'triển khai tiếp nhận');

    // Returning needs a reason, said in plain words; the form stays open.
    await act(page, 'returnDraft');
    await submitForm(page);
    await expect
      .poll(() => page.locator('.action-panel [role="alert"]').textContent())
      .toBe('Nhập lý do trước khi gửi.');
    await page.locator('.action-panel').getByRole('button', { name: 'Hủy' }).click();

    await act(page, 'approve');
    await page.locator('.action-panel').getByLabel('Người ký').selectOption('city-vice-chairman');
    await page
      .locator('.action-panel')
      .getByLabel('Ghi chú')
      .fill('Đồng ý nội dung, trình đồng chí Phó Chủ tịch ký.');
    await shot(page, '05-approve-form');
    await submitForm(page);
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Chờ ký/);
  });

  it('the vice-chairman signs it KT., on behalf of the People’s Committee, authorized with her passkey', async () => {
    const page = await asSigner('city-vice-chairman');
    await page.locator('a[data-folder="to-sign"]').click();
    await page.locator('#folder-heading', { hasText: 'Chờ ký' }).waitFor();
    await page.locator('.doc-row', { hasText: SUBJECT }).waitFor();
    await shot(page, '06-folder-to-sign');
    await openFromFolder(page, 'to-sign', SUBJECT.slice(0, 20));
    await act(page, 'sign');
    // The form offers only the capacities she holds for this document (the view lists them): KT., with or
    // without TM., never Q. (acting head) or TM. alone. The API still refuses to prepare one she does not
    // hold, and says why in Vietnamese; nothing is prepared.
    await expect
      .poll(() =>
        page
          .locator('.action-panel input[name="capacity"]')
          .evaluateAll((inputs) => inputs.map((i) => i.getAttribute('data-capacity'))),
      )
      .toEqual(['auto', 'KT']);
    const refused = await api<{ error: { message: string } }>(
      'POST',
      `/api/documents/${documentId}/signature-requests`,
      { token: await login('city-vice-chairman'), body: { capacity: 'Q' } },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /^Bạn không có quyền ký với tư cách "(TM\. \+ )?Q\.": tư cách này dành cho .*Hà Nội\.$/,
    );
    await pageExpect(page).text('.doc-badges', /Chờ ký/);
    await page.locator('input[data-capacity="KT"]').check();
    await page.getByLabel('Đồng thời thay mặt tập thể (TM. Ủy ban nhân dân)').check();
    await shot(page, '07-sign-form');
    await submitForm(page);
    // The dialog shows the capacity chosen before she authorizes it.
    await expect
      .poll(() => page.locator('dialog.sign-dialog [data-capacity]').textContent(), { timeout: 60_000 })
      .toMatch(/^KT\. — ký thay người đứng đầu · Đồng thời thay mặt tập thể/);
    await authorizeWithPasskey(page, '07b-sign-dialog');
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Đã ký/);
    const signature = page.locator('.signature').first();
    await expect
      .poll(() => signature.locator('.capacity-lines').textContent())
      .toMatch(/TM\. ỦY BAN NHÂN DÂN.*KT\. CHỦ TỊCH.*PHÓ CHỦ TỊCH/);
    await expect.poll(() => signature.locator('.signature-name').textContent()).toBe('Trần Thị Hương');
  });

  it('the city clerk issues it (number, seal, authorized with her passkey) and sends it to every ward and commune', async () => {
    const page = await asSigner('city-clerk');
    await openFromFolder(page, 'outgoing', 'trien khai tiep nhan');
    await act(page, 'issue');
    await submitForm(page);
    // The number is reserved before the clerk authorizes the seal, and shown to her.
    await expect
      .poll(() => page.locator('dialog.sign-dialog .sign-item-meta').textContent(), { timeout: 60_000 })
      .toMatch(/\d{2,}\/QĐ-UBND/);
    await authorizeWithPasskey(page);
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Đã phát hành/);
    await pageExpect(page).text('.doc-symbol-large', /^\d{2,}\/QĐ-UBND$/);
    await act(page, 'send');
    const panel = page.locator('.action-panel');
    // Search by name, with or without diacritics.
    await panel.getByLabel('Tìm đơn vị theo tên').fill('noi vu');
    await expect.poll(() => panel.locator('.org-results li').allTextContents()).toEqual(['Sở Nội vụ']);
    await panel.getByLabel('Tìm đơn vị theo tên').fill('');
    await panel.locator('input[data-group="all-wards"]').check();
    await expect
      .poll(() => panel.locator('.chip').allTextContents())
      .toEqual([expect.stringMatching(/^Tất cả phường, xã/)]);
    await shot(page, '08-send-form');
    // The send names every organisation it reaches, and goes only once the clerk confirms.
    await submitForm(page);
    const confirm = page.locator('[data-testid="confirm-recipients"]');
    await expect.poll(() => confirm.locator('li').count()).toBe(126);
    await expect
      .poll(() => panel.locator('button[data-submit]').textContent())
      .toBe('Xác nhận gửi đến 126 đơn vị');
    await submitForm(page);
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Đã gửi/);
    await pageExpect(page).text('.deliveries-summary', /0\/126 đơn vị/);
    // Both signatures, the person's and the organisation's seal.
    await expect.poll(() => page.locator('.signature').count()).toBe(2);
    await page.locator('canvas.pdf-page[data-rendered="true"]').first().waitFor({ timeout: 60_000 });
    await shot(page, '09-document-sent');
  });

  it('a ward clerk finds it among incoming documents and registers it', async () => {
    const page = await as('ba-dinh-clerk');
    // She lands on her work: this one waits for her to register it.
    await page.locator('#work-heading').waitFor();
    await page.locator('.work-row[data-task="register"]', { hasText: SUBJECT }).waitFor();
    await openFolder(page, 'incoming');
    await page.locator('.doc-row', { hasText: SUBJECT }).waitFor();
    await shot(page, '10-folder-incoming');
    const symbol = (
      await api<{ symbol: string }>('GET', `/api/documents/${documentId}`, {
        token: await login('city-clerk'),
      })
    ).body.symbol;
    await openFromFolder(page, 'incoming', symbol);
    await pageExpect(page).text('.doc-badges', /Mới đến/);
    await act(page, 'register');
    await submitForm(page);
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Chờ phân công/);
    await pageExpect(page).text('.meta', /Số đến, ngày đến/);
  });

  it('the ward chairman assigns it with a deadline; the specialist handles it', async () => {
    const page = await as('ba-dinh-chairman');
    await openFromFolder(page, 'incoming', 'tiếp nhận văn bản');
    await act(page, 'assign');
    const panel = page.locator('.action-panel');
    await panel.getByLabel('Chủ trì xử lý').selectOption('ba-dinh-specialist');
    await panel.locator('input[name="support"][value="ba-dinh-vice-chairman"]').check();
    await panel.locator('input[name="info"][value="ba-dinh-clerk"]').check();
    const deadline = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await panel.getByLabel('Hạn xử lý').fill(deadline);
    await panel
      .getByLabel('Ý kiến chỉ đạo (bút phê)')
      .fill('Giao đồng chí Sơn chủ trì, báo cáo kết quả trước hạn.');
    await shot(page, '11-assign-form');
    await submitForm(page);
    await expectDone(page);
    await pageExpect(page).text('.doc-badges', /Đã phân công/);
    await pageExpect(page).text('.meta', /Mai Văn Sơn/);
    const view = await api<{ record: { state: string; assignment: unknown } }>(
      'GET',
      `/api/documents/${documentId}`,
      {
        token: await login('ba-dinh-chairman'),
      },
    );
    expect(view.body.record).toMatchObject({
      state: 'ASSIGNED',
      assignment: {
        lead: { kind: 'person', personId: 'ba-dinh-specialist' },
        supporting: [{ kind: 'person', personId: 'ba-dinh-vice-chairman' }],
        forInformation: [{ kind: 'person', personId: 'ba-dinh-clerk' }],
        deadline,
        note: 'Giao đồng chí Sơn chủ trì, báo cáo kết quả trước hạn.',
      },
    });
    await shot(page, '12-document-assigned');

    // Three days after the deadline (the browser's clock moved on), the handler's folder shows it overdue.
    const threeDaysLate = new Date(`${deadline}T09:00:00+07:00`).getTime() + 3 * 86_400_000;
    const later = await as('ba-dinh-specialist', { clock: threeDaysLate });
    await openFolder(later, 'assigned');
    const late = later.locator('.doc-row', { hasText: SUBJECT }).locator('.badge-danger');
    await expect.poll(() => late.textContent()).toMatch(/^Quá hạn 3 ngày · \d{2}\/\d{2}\/\d{4}$/);
    await shot(later, '13-folder-assigned-overdue');

    const specialist = await as('ba-dinh-specialist');
    await openFolder(specialist, 'assigned');
    const row = specialist.locator('.doc-row', { hasText: SUBJECT });
    const [y, m, d] = deadline.split('-');
    await expect.poll(() => row.locator('.badge').allTextContents()).toContain(`Hạn ${d}/${m}/${y}`);
    await row.locator('a').click();
    await act(specialist, 'start');
    await pageExpect(specialist).text('.doc-badges', /Đang xử lý/);
    await act(specialist, 'resolve');
    await specialist.locator('.action-panel').getByLabel('Kết quả xử lý').fill('Đã triển khai tại phường.');
    await submitForm(specialist);
    await expectDone(specialist);
    await pageExpect(specialist).text('.doc-badges', /Đã xử lý xong/);
  });

  it('pages through a folder with the API’s cursor, and filters the page shown', async () => {
    // 21 drafts at the Department of Home Affairs, made through the API (one more than a page).
    const token = await login('snv-specialist');
    const pdf = await draftDecision(1);
    for (let n = 1; n <= 21; n++) {
      const created = await api<{ id: string; upload: { url: string; fields: Record<string, string> } }>(
        'POST',
        '/api/documents',
        { token, body: { title: `Về việc rà soát hồ sơ cán bộ, đợt ${n}`, docType: 'cong-van' } },
      );
      expect(created.status).toBe(201);
      const put = await uploadTo(created.body.upload, pdf);
      expect(put.ok).toBe(true);
      expect(
        (await api('POST', `/api/documents/${created.body.id}/content`, { token, body: {} })).status,
      ).toBe(200);
    }
    const page = await as('snv-specialist');
    await openFolder(page, 'drafts');
    const rows = page.locator('.doc-row');
    await expect.poll(() => rows.count()).toBe(20);
    await expect.poll(() => page.locator('.pager-info').textContent()).toBe('Trang 1 · 20/21 văn bản');
    // Newest first: the last one made leads the first page.
    await expect
      .poll(() => rows.first().locator('.doc-title').textContent())
      .toBe('Về việc rà soát hồ sơ cán bộ, đợt 21');
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await expect.poll(() => page.locator('.pager-info').textContent()).toBe('Trang 2 · 1/21 văn bản');
    await expect
      .poll(() => rows.allTextContents())
      .toEqual([expect.stringContaining('Về việc rà soát hồ sơ cán bộ, đợt 1')]);
    expect(await page.getByRole('button', { name: 'Trang sau' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Trang đầu' }).click();
    await expect.poll(() => rows.count()).toBe(20);
    // The search runs on the server over the whole folder, with or without diacritics.
    await page.getByLabel(/Tìm theo số, ký hiệu hoặc trích yếu/).fill('ra soat dot 17');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('đợt 17')]);
  });

  it('the sender sees each recipient’s status', async () => {
    const page = await as('city-clerk');
    await openFromFolder(page, 'outgoing', 'tiếp nhận');
    const baDinh = page.locator('.delivery[data-org="phuong-ba-dinh"]');
    await page.getByLabel('Lọc theo tên đơn vị').fill('Ba Đình');
    await expect.poll(() => baDinh.textContent()).toMatch(/Đã xử lý xong/);
    await expect.poll(() => page.locator('.timeline').textContent()).toMatch(/Đến nơi nhận · 126 lần/);
    await expect.poll(() => page.locator('.chain').textContent()).toMatch(/Nhật ký nguyên vẹn/);
  });

  it('an auditor opens it and sees every signature valid', async () => {
    const page = await as('city-auditor');
    await page.locator('#audit-heading').waitFor();
    await page.locator('.audit-item', { hasText: SUBJECT }).waitFor();
    await shot(page, '14-audit');
    await page.getByLabel('Lọc theo số, trích yếu, người ký hoặc cơ quan').fill('Trần Thị Hương');
    await page.locator('.audit-item', { hasText: SUBJECT }).click();
    const report = page.locator('[data-testid="audit-report"]');
    await report.waitFor();
    // The server verified the current version: the vice-chairman's signature and the city's seal.
    await report.locator('.verdict[data-verdict]').waitFor({ timeout: 60_000 });
    expect(await report.locator('.verdict[data-verdict]').getAttribute('data-verdict')).toBe('valid');
    const verdicts = await report
      .locator('.signature')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(verdicts).toEqual(['valid', 'valid']);
    await expect
      .poll(() => report.locator('.signature').first().textContent())
      .toMatch(/KT\. CHỦ TỊCH.*Trần Thị Hương/);
    await expect
      .poll(() => report.locator('.signature').nth(1).textContent())
      .toMatch(/Chữ ký của cơ quan.*Ủy ban nhân dân thành phố Hà Nội/);
    await expect.poll(() => report.locator('.chain').textContent()).toMatch(/Nhật ký nguyên vẹn/);
    await shot(page, '15-audit-report');

    // The evidence package downloads as a ZIP.
    const downloading = page.waitForEvent('download');
    await report.getByRole('button', { name: 'Tải gói chứng cứ (ZIP)' }).click();
    const download = await downloading;
    const zip = await readFile(await download.path());
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('the auditor verifies an uploaded copy, and a tampered one is reported invalid', async () => {
    const page = await as('city-auditor');
    const token = await login('city-auditor');
    const file = await api<{ url: string }>('GET', `/api/documents/${documentId}/file?redirect=false`, {
      token,
    });
    const original = new Uint8Array(await (await fetch(file.body.url)).arrayBuffer());
    // One byte changed inside the first content stream, which every signature covers.
    const tampered = original.slice();
    const at = Buffer.from(tampered).indexOf('stream') + 40;
    expect(at).toBeGreaterThan(40);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    const goodPath = join(workDir, 'ban-goc.pdf');
    const badPath = join(workDir, 'ban-bi-sua.pdf');
    await writeFile(goodPath, original);
    await writeFile(badPath, tampered);

    await page.locator('#audit-heading').waitFor();
    const input = page.getByLabel('Tệp PDF đã ký');
    const result = page.locator('[data-testid="upload-report"]');
    await input.setInputFiles(goodPath);
    await page.locator('#upload-verify-heading ~ form button[data-submit]').click();
    await expect.poll(() => result.getAttribute('data-verdict'), { timeout: 60_000 }).toBe('valid');
    expect(
      await result.locator('.signature').evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict'))),
    ).toEqual(['valid', 'valid']);

    await input.setInputFiles(badPath);
    await page.locator('#upload-verify-heading ~ form button[data-submit]').click();
    await expect
      .poll(() => result.getAttribute('data-verdict'), { timeout: 60_000 })
      .toMatch(/^(invalid|modified)$/);
    await expect.poll(() => result.textContent()).toMatch(/ban-bi-sua\.pdf/);
    const tamperedVerdicts = await result
      .locator('.signature')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(tamperedVerdicts.length).toBeGreaterThan(0);
    expect(tamperedVerdicts).not.toContain('valid');
    await expect
      .poll(() => result.locator('.signature').first().textContent())
      .toMatch(/Không hợp lệ|bị sửa/);
    await result.scrollIntoViewIfNeeded();
    await shot(page, '16-audit-upload-tampered');
  });

  it('no page error happened on any screen', () => {
    const problems = sessions
      .flatMap((s) => s.problems)
      .filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p));
    expect(problems).toEqual([]);
    expect(captures.length).toBeGreaterThanOrEqual(15);
  });
});
