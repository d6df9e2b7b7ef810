import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, type RouteKey, routeKey, routeTable } from '../../lambdas/routes';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import type { FunctionSpec } from '../../lib/docflow-stack';
import { apiEvent, authorizerClaims } from '../../local/gateway';
import { login, stack } from '../support/api';
import { bundledAsset } from '../support/bundles';
import { authorize, CITY, get, post, toSign, type View } from '../support/flow';
import { requireTool, tempDir, writeTemp } from '../support/pdf-tools';

/*
 * The artifacts CDK deploys, not the source modules the local gateway imports: each API function built by
 * NodejsFunction (minified ESM bundle, its `assets` beside it) runs in a fresh Node process against the
 * local services. `signing` signs a document with a visible signature; every other function answers a
 * request. It catches what only a bundle can get wrong: files read at run time, CommonJS dependencies,
 * module-level code.
 */

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');

type FunctionName = keyof typeof functions;

/** Calls the bundle's handler with `event` in a new process with its function's environment; its result. */
function invokeBundle(bundle: string, event: { routeKey: string }): { statusCode: number; body: string } {
  const script =
    'const { handler } = await import(process.env.BUNDLE);' +
    'const context = { functionName: "docflow-signing", awsRequestId: crypto.randomUUID(), ' +
    'getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };' +
    'const result = await handler(JSON.parse(process.env.EVENT), context);' +
    'process.stdout.write(JSON.stringify(result));';
  const run = spawnSync(NODE, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      // Its own role's credentials and resources, as the local stack runs that function.
      ...stack().functions[routeTable[event.routeKey as RouteKey].function]?.environment,
      BUNDLE: pathToFileURL(bundle).href,
      EVENT: JSON.stringify(event),
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`the bundle failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as { statusCode: number; body: string };
}

/** The claims the JWT authorizer puts in the event for a signed-in demo user. */
async function claimsOf(userId: string): Promise<Record<string, string>> {
  const payload = (await login(userId)).split('.')[1] ?? '';
  return authorizerClaims(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
}

/** A request to `template` (a route path) through the function's bundle, as the HTTP API would send it. */
async function call(
  bundle: string,
  request: {
    method: 'GET' | 'POST';
    template: string;
    pathParameters?: Record<string, string>;
    query?: string;
    userId?: string;
    body?: unknown;
  },
): Promise<{ statusCode: number; body: string }> {
  const path = request.template.replace(
    /\{(\w+)\}/g,
    (_, name: string) => request.pathParameters?.[name] ?? '',
  );
  return invokeBundle(
    bundle,
    apiEvent({
      method: request.method,
      url: new URL(`${path}${request.query ?? ''}`, stack().url),
      routeKey: routeKey({ method: request.method, path: request.template }),
      pathParameters: request.pathParameters,
      headers: { 'content-type': 'application/json', 'accept-language': 'vi' },
      body: Buffer.from(request.body === undefined ? '' : JSON.stringify(request.body)),
      ...(request.userId ? { claims: await claimsOf(request.userId) } : {}),
    }),
  );
}

describe('the deployed bundles', () => {
  const bundles = new Map<FunctionName, string>();
  let signedId = '';

  beforeAll(() => {
    const specs: Record<FunctionName, FunctionSpec> = functions;
    for (const [name, spec] of Object.entries(specs) as [FunctionName, FunctionSpec][]) {
      bundles.set(name, join(bundledAsset(spec.entry, spec.assets, true, spec.external), 'index.mjs'));
    }
  }, 300_000);

  afterAll(() => {
    // Each synthesized app: the asset directory's parent.
    for (const bundle of bundles.values()) rmSync(dirname(dirname(bundle)), { recursive: true, force: true });
  });

  const bundleOf = (name: FunctionName): string => {
    const bundle = bundles.get(name);
    if (!bundle) throw new Error(`no bundle for ${name}`);
    return bundle;
  };

  it('signs with a visible signature against the local services: fonts and image embedded, signature valid', async () => {
    const id = await toSign(CITY);
    // Prepared and authorized through the API; the deployed bundle makes the signature through the signer.
    const prepared = await post(CITY.signer, `/api/documents/${id}/signature-requests`, CITY.capacity);
    await authorize(CITY.signer, [prepared.requestId]);
    const result = await call(bundleOf('signing'), {
      method: 'POST',
      template: '/api/documents/{id}/sign',
      pathParameters: { id },
      userId: CITY.signer,
      body: { requestId: prepared.requestId },
    });
    expect(result.statusCode, result.body).toBe(200);
    signedId = id;
    expect((JSON.parse(result.body) as View).signatures).toHaveLength(1);

    // Read back through the API (the source modules): what the bundle wrote is a valid signature.
    const report = await get(CITY.signer, `/api/documents/${id}/verification`);
    expect(report.verdict).toBe('valid');
    const { url } = await get(CITY.signer, `/api/documents/${id}/file?redirect=false`);
    const pdf = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const file = writeTemp(tempDir(), 'signed.pdf', pdf);
    requireTool('pdffonts');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    // The capacity lines and the name, in Tinos Bold, subset and embedded with a ToUnicode map.
    expect(fonts).toMatch(/[A-Z]{6}\+Tinos-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    // The signer's registered signature image (seeded for demo leaders), with its transparency.
    requireTool('pdfimages');
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    expect(images).toMatch(/\bimage\b.*\brgb\b/);
    expect(images).toMatch(/\bsmask\b/);
  });

  it('every other function answers through its bundle', async () => {
    expect(signedId, 'the signing test ran first').not.toBe('');
    const document = { pathParameters: { id: signedId }, userId: CITY.signer };
    const checks: [FunctionName, Parameters<typeof call>[1]][] = [
      ['system', { method: 'GET', template: '/api/health' }],
      ['directory', { method: 'GET', template: '/api/me', userId: CITY.signer }],
      ['documents', { method: 'GET', template: '/api/documents/{id}', ...document }],
      ['inbox', { method: 'GET', template: '/api/inbox', query: '?folder=to-sign', userId: CITY.signer }],
      ['pki', { method: 'GET', template: '/api/pki/roots' }],
      ['audit', { method: 'GET', template: '/api/documents/{id}/verification', ...document }],
      ['signatureActivation', { method: 'GET', template: '/api/me/authenticators', userId: CITY.signer }],
      ['notifications', { method: 'GET', template: '/api/notifications', userId: CITY.signer }],
      ['exchange', { method: 'GET', template: '/api/exchange/received', userId: CITY.signer }],
      ['webhooks', { method: 'GET', template: '/api/webhooks', userId: 'city-admin' }],
    ];
    expect(new Set([...checks.map(([name]) => name), 'signing'])).toEqual(new Set(Object.keys(functions)));
    for (const [name, request] of checks) {
      const result = await call(bundleOf(name), request);
      expect(result.statusCode, `${name}: ${result.body}`).toBe(200);
    }
    const verification = await call(bundleOf('audit'), {
      method: 'GET',
      template: '/api/documents/{id}/verification',
      ...document,
    });
    expect((JSON.parse(verification.body) as View).verdict).toBe('valid');
  });
});
