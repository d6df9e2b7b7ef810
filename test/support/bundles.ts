import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DocflowFunction, REPO_ROOT } from '../../lib/constructs/docflow-function';

/**
 * Synthesizes one DocflowFunction, bundled by NodejsFunction as `cdk synth` bundles it (esbuild, the
 * stack's options, `assets` copied beside the bundle); returns the function's asset directory. With
 * `besideSdk` the app is written under node_modules/.cache, so that the bundle's external `@aws-sdk/*`
 * imports resolve to the repository's copy, as the Lambda runtime provides its own.
 */
export function bundledAsset(
  entry: string,
  assets?: readonly string[],
  besideSdk = false,
  external?: readonly string[],
): string {
  const parent = besideSdk ? join(REPO_ROOT, 'node_modules', '.cache') : tmpdir();
  mkdirSync(parent, { recursive: true });
  const outdir = mkdtempSync(join(parent, 'docflow-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundleTest', { env: { account: '111111111111', region: 'ap-southeast-1' } });
  new DocflowFunction(stack, 'TestFunction', {
    entry,
    description: 'bundle test',
    stage: 'test',
    logRetention: RetentionDays.ONE_DAY,
    assets,
    external,
  });
  app.synth();
  // The function's code is the stack's only file asset.
  const manifest = JSON.parse(readFileSync(join(outdir, 'BundleTest.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging: string } }>;
  };
  const code = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip');
  if (code.length !== 1) throw new Error(`expected one code asset, found ${code.length}`);
  return join(outdir, code[0]?.source.path ?? '');
}
