import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { functions } from '../../lambdas/routes';
import { DocflowFunction } from '../../lib/constructs/docflow-function';
import { ENV } from './synth';

/*
 * The one test that bundles: a single function through NodejsFunction with the local esbuild, as
 * `cdk synth` does, to check what the template tests cannot see (they skip bundling).
 */

describe('a DocflowFunction bundle, built by NodejsFunction', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'docflow-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundleTest', { env: ENV });
  new DocflowFunction(stack, 'SystemFunction', {
    entry: functions.system.entry,
    description: 'bundle test',
    stage: 'test',
    logRetention: RetentionDays.ONE_DAY,
  });
  app.synth();
  // The function's code is the stack's only file asset.
  const manifest = JSON.parse(readFileSync(join(outdir, 'BundleTest.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging: string } }>;
  };
  const code = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip');
  const assetDir = join(outdir, code.length === 1 ? (code[0]?.source.path ?? '') : 'missing');
  const bundle = () => readFileSync(join(assetDir, 'index.mjs'), 'utf8');

  it('is one ESM file with its source map beside it, and no other files', () => {
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(bundle()).toMatch(/^import\{createRequire as \w+\}from"node:module"|^import \{ createRequire \}/);
    expect(bundle()).toContain('//# sourceMappingURL=index.mjs.map');
  });

  it('leaves the AWS SDK to the runtime and is minified', () => {
    expect(bundle()).toMatch(/from"@aws-sdk\/client-dynamodb"/);
    expect(bundle()).not.toContain('DynamoDBClient extends');
    // Minified: internal names are mangled (the entry keeps its `handler` export).
    expect(bundle()).not.toContain('apiHandler');
    expect(bundle()).toMatch(/export\s*\{[^}]*as handler\s*\}/);
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
