import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functions, internalFunctions } from '../../lambdas/routes';
import { LAMBDA_ESBUILD_OPTIONS } from '../../lib/bundling';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import type { FunctionSpec } from '../../lib/docflow-stack';
import { streamConsumers } from '../../lib/stream-consumers';
import { bundledAsset } from '../support/bundles';

/*
 * The tests that bundle: functions through NodejsFunction with the local esbuild, as `cdk synth` does, to
 * check what the template tests cannot see (they skip bundling).
 */

describe('a DocflowFunction bundle, built by NodejsFunction', () => {
  const assetDir = bundledAsset(functions.system.entry);
  const bundle = () => readFileSync(join(assetDir, 'index.mjs'), 'utf8');

  it('is one ESM file with its source map beside it, and no other files', () => {
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(bundle()).toMatch(/^import\{createRequire as \w+\}from"node:module"|^import \{ createRequire \}/);
    expect(bundle()).toContain('//# sourceMappingURL=index.mjs.map');
  });

  it('leaves the AWS SDK to the runtime, loaded on first use, and is minified', () => {
    // A dynamic import (lambdas/adapters/lazy-sdk.ts): a cold start that calls no service loads none of it.
    expect(bundle()).toMatch(/import\("@aws-sdk\/client-dynamodb"\)/);
    expect(bundle()).not.toMatch(/from\s*"@aws-sdk\//);
    expect(bundle()).not.toContain('DynamoDBClient extends');
    // node:http as the CommonJS builtin (lib/node-http-builtin.cjs): its ESM facade would load Node's undici.
    expect(bundle()).not.toMatch(/from\s*"(node:)?http"/);
    expect(bundle()).toContain('process.getBuiltinModule("node:http")');
    // Minified: internal names are mangled (the entry keeps its `handler` export).
    expect(bundle()).not.toContain('apiHandler');
    expect(bundle()).toMatch(/export\s*\{[^}]*as handler\s*\}/);
  });

  it('keeps Vietnamese text as UTF-8, not \\u escapes (smaller, as the benchmark measures it)', () => {
    expect(bundle()).toContain('Không tìm thấy');
    expect(bundle()).not.toMatch(/\\u1E[0-9A-F]{2}/);
  });

  it('maps lines without embedding the sources', () => {
    const map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(map.sources.some((s) => s.endsWith('lambdas/handlers/system.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });
});

describe('files a handler reads at run time', () => {
  it('are copied beside the bundle, where the bundled code finds them (the appearance fonts)', async () => {
    const assetDir = bundledAsset('test/fixtures/bundled-fonts.ts', ['assets/fonts']);
    const fonts = join(assetDir, 'assets', 'fonts');
    expect(readdirSync(fonts)).toEqual(expect.arrayContaining(['Tinos_400Regular.ttf', 'Tinos_700Bold.ttf']));
    const bundled = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: () => Promise<Record<string, number>>;
    };
    const size = (name: string) => statSync(join(REPO_ROOT, 'assets', 'fonts', name)).size;
    expect(await bundled.handler()).toEqual({
      regular: size('Tinos_400Regular.ttf'),
      bold: size('Tinos_700Bold.ttf'),
      italic: size('Tinos_400Regular_Italic.ttf'),
    });
  });

  it('include the edXML schema and xmllint-wasm beside the exchange functions, which check with them', async () => {
    const spec = internalFunctions.exchangePoller;
    const assetDir = bundledAsset('test/fixtures/bundled-edxml.ts', spec.assets, false, spec.external);
    const bundled = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: () => Promise<{ valid: readonly string[]; invalid: readonly string[] }>;
    };
    const { valid, invalid } = await bundled.handler();
    expect(valid).toEqual([]);
    expect(invalid.length).toBeGreaterThan(0);
  }, 120_000);

  it('are declared by every function whose code loads them', async () => {
    const specs: Record<string, FunctionSpec> = { ...functions, ...internalFunctions, ...streamConsumers };
    const loaders: string[] = [];
    for (const [name, { metafile }] of await everyBundle()) {
      const output = Object.values(metafile.outputs)[0];
      const loadsFonts = (output?.inputs['lambdas/core/pdf/fonts.ts']?.bytesInOutput ?? 0) > 0;
      if (loadsFonts) {
        loaders.push(name);
        expect(specs[name]?.assets ?? [], name).toContain('assets/fonts');
      }
    }
    expect(loaders).toContain('signing');
  });
});

describe('every function bundle', () => {
  it('imports no AWS SDK package and not node:http as ESM at load: a cold start pays for neither', async () => {
    for (const [name, { code }] of await everyBundle()) {
      // The SDK is loaded on first use (lambdas/adapters/lazy-sdk.ts), the idempotency layer's included;
      // not in the signer, whose every invocation uses DynamoDB, STS and KMS.
      if (name !== 'signer') expect(code.match(/from\s*"@aws-sdk\/[^"]+"/g) ?? [], name).toEqual([]);
      // node:http's ESM facade loads Node's undici (lib/node-http-builtin.cjs).
      expect(code.match(/from\s*"(node:)?http"/g) ?? [], name).toEqual([]);
    }
  });
});

let bundles: Promise<Map<string, { code: string; metafile: Metafile }>> | undefined;

/** Every function bundled in memory as the stack bundles it, once for the tests that read them. */
function everyBundle(): Promise<Map<string, { code: string; metafile: Metafile }>> {
  bundles ??= (async () => {
    const specs: Record<string, FunctionSpec> = { ...functions, ...internalFunctions, ...streamConsumers };
    const built = new Map<string, { code: string; metafile: Metafile }>();
    for (const [name, spec] of Object.entries(specs)) {
      const { metafile, outputFiles } = await build({
        entryPoints: [join(REPO_ROOT, spec.entry)],
        absWorkingDir: REPO_ROOT,
        ...LAMBDA_ESBUILD_OPTIONS,
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      built.set(name, { code: outputFiles[0]?.text ?? '', metafile });
    }
    return built;
  })();
  return bundles;
}
