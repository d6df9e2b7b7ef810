import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, routeKey } from '../../lambdas/routes';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import { apiEvent, authorizerClaims } from '../../local/gateway';
import { login, stack } from '../support/api';
import { bundledAsset } from '../support/bundles';
import { CITY, get, toSign, type View } from '../support/flow';
import { requireTool, tempDir, writeTemp } from '../support/pdf-tools';

/*
 * The artifact CDK deploys, not the source modules the local gateway imports: the `signing` function built
 * by NodejsFunction (minified ESM bundle, its `assets` beside it) runs in a fresh Node process against the
 * local services and signs a document with a visible signature. It catches what only a bundle can get
 * wrong: files read at run time, CommonJS dependencies, module-level code.
 */

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');

/** Calls the bundle's handler with `event` in a new process with the handlers' environment; its result. */
function invokeBundle(bundle: string, event: unknown): { statusCode: number; body: string } {
  const script =
    'const { handler } = await import(process.env.BUNDLE);' +
    'const context = { functionName: "docflow-signing", awsRequestId: crypto.randomUUID(), ' +
    'getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };' +
    'const result = await handler(JSON.parse(process.env.EVENT), context);' +
    'process.stdout.write(JSON.stringify(result));';
  const run = spawnSync(NODE, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      ...stack().environment,
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

describe('the deployed signing bundle', () => {
  let bundle: string;

  beforeAll(() => {
    bundle = join(bundledAsset(functions.signing.entry, functions.signing.assets, true), 'index.mjs');
  }, 120_000);

  afterAll(() => {
    // The synthesized app: the asset directory's parent.
    if (bundle) rmSync(dirname(dirname(bundle)), { recursive: true, force: true });
  });

  it('signs with a visible signature against the local services: fonts and image embedded, signature valid', async () => {
    const id = await toSign(CITY);
    const path = `/api/documents/${id}/sign`;
    const result = invokeBundle(
      bundle,
      apiEvent({
        method: 'POST',
        url: new URL(path, stack().url),
        routeKey: routeKey({ method: 'POST', path: '/api/documents/{id}/sign' }),
        pathParameters: { id },
        headers: { 'content-type': 'application/json', 'accept-language': 'vi' },
        body: Buffer.from(JSON.stringify(CITY.capacity)),
        claims: await claimsOf(CITY.signer),
      }),
    );
    expect(result.statusCode, result.body).toBe(200);
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
});
