import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';

/*
 * Driving Debian's Chromium with playwright-core: sign in as a demo user through the page, save each main
 * screen at desktop and phone sizes, and check it with axe-core. A missing Chromium fails the run.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium), as .ci/run does`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The Content-Security-Policy CloudFront sends with the deployed page (lib/constructs/web.ts), with the
 * local S3 endpoint as the place files come from and go to, and without `upgrade-insecure-requests` (the
 * local stack speaks plain HTTP). The page must work under it: no inline script or style, pdf.js's
 * worker from the same origin.
 */
export function deployedCsp(s3Url: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${s3Url}`,
    "worker-src 'self' blob:",
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Serves the page's own files with the deployed CSP (the API and S3 answer as they do). */
export async function enforceCsp(context: BrowserContext, baseUrl: string, s3Url: string): Promise<void> {
  const origin = new URL(baseUrl).origin;
  // A page answered through the route counts as a public one for Chromium, whose requests to loopback
  // addresses (the local S3) then need the person's permission: granted, as the deployed page (public
  // itself, calling public S3) never needs it.
  await context.grantPermissions(['local-network-access'], { origin });
  await context.route(
    (url) => url.origin === origin && !url.pathname.startsWith('/api/'),
    async (route) => {
      try {
        const response = await route.fetch();
        await route.fulfill({
          response,
          headers: { ...response.headers(), 'content-security-policy': deployedCsp(s3Url) },
        });
      } catch {
        // The page or its context closed while a file was on its way (a favicon, say): nothing to serve.
      }
    },
  );
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and failed requests seen by the page, for the test to assert on. */
  readonly problems: string[];
}

/** A fresh browser context (its own sessionStorage), signed in as `userId` through the sign-in screen. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  userId: string,
  options: { clock?: number; s3Url?: string } = {},
): Promise<Session> {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  // The page's clock only (the server keeps its own): to see how a deadline looks days from now.
  if (options.clock !== undefined) await context.clock.install({ time: options.clock });
  if (options.s3Url) await enforceCsp(context, baseUrl, options.s3Url);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(baseUrl);
  await page.locator(`button[data-user="${userId}"]`).click();
  await page.locator('.topbar .whoami-name').waitFor();
  return { context, page, problems };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Runs in the page: DOM names are spelled through globalThis (this project's types have no DOM).
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  // Evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
  if (!loaded) await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface Capture {
  readonly name: string;
  readonly files: string[];
  readonly violations: Record<string, AxeViolation[]>;
}

interface PageGlobals {
  readonly document: {
    readonly fonts: { readonly status: string };
    querySelectorAll(selector: string): { readonly length: number };
  };
}

async function settle(page: Page, network: boolean): Promise<void> {
  // Predicates as functions, not strings: the page's CSP forbids evaluating strings.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.fonts.status === 'loaded');
  if (network) await page.waitForLoadState('networkidle').catch(() => undefined);
  // Nothing is still loading or rendering (spinners, PDF pages).
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document.querySelectorAll('.loading, [aria-busy="true"]')
        .length === 0,
    undefined,
    { timeout: 30_000 },
  );
}

/**
 * Saves the screen at desktop and phone sizes (full page) and runs axe at each; returns the serious and
 * critical violations per size. The page is left at desktop size.
 */
export async function capture(
  page: Page,
  name: string,
  options: {
    /** False for a screen shown while a request is deliberately held open: do not wait for the network. */
    readonly network?: boolean;
  } = {},
): Promise<Capture> {
  const network = options.network ?? true;
  await mkdir(SCREENSHOTS, { recursive: true });
  const files: string[] = [];
  const violations: Record<string, AxeViolation[]> = {};
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await settle(page, network);
    const file = join(SCREENSHOTS, `${name}-${size}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
    violations[size] = await axeViolations(page);
  }
  await page.setViewportSize(DESKTOP);
  await settle(page, network);
  return { name, files, violations };
}

export function describeViolations(captured: Capture): string {
  return Object.entries(captured.violations)
    .flatMap(([size, list]) =>
      list.map(
        (v) =>
          `${captured.name} (${size}): ${v.impact} ${v.id}: ${v.help}\n${v.nodes
            .slice(0, 3)
            .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
            .join('\n')}`,
      ),
    )
    .join('\n');
}

/**
 * The stack's address by name: passkeys need a domain, never an IP address, and the local activation
 * function takes `localhost` as the relying party (http://localhost:<port> as the origin).
 */
export function atLocalhost(url: string): string {
  const parsed = new URL(url);
  if (parsed.hostname === '127.0.0.1') parsed.hostname = 'localhost';
  return parsed.origin;
}

export interface VirtualAuthenticator {
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  /** The passkeys it holds (Chromium's record of them). */
  credentials(): Promise<readonly { credentialId: string; rpId?: string; signCount: number }[]>;
}

/**
 * Chromium's virtual authenticator on this page, through the DevTools protocol: a platform authenticator
 * (internal transport) with resident keys and user verification that always succeeds, as a laptop's
 * fingerprint reader or a phone's screen lock would for its owner.
 */
export async function virtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
  };
}
