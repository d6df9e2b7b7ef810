import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { stageConfig } from '../../lib/config';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import { DocflowStack } from '../../lib/docflow-stack';

/*
 * Synthesizes the docflow CDK stack offline, as `cdk synth` would for the local stage (cdk.json's context,
 * no bundling, no web assets), and writes `{ stackName, template }` to the file named on the command line.
 * Run in its own process by local/iam/template.ts: aws-cdk-lib stays out of the stack's memory.
 *
 *   tsx local/iam/synth-template.ts <out.json> <stage> <account> <region>
 */

const [out, stage = 'local', account = '000000000000', region = 'us-east-1'] = process.argv.slice(2);
if (!out) throw new Error('usage: synth-template.ts <out.json> <stage> <account> <region>');

const context = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: object })
  .context;
const outdir = mkdtempSync(join(tmpdir(), 'docflow-local-synth-'));
try {
  const app = new App({ outdir, context: { ...context, stage, 'aws:cdk:bundling-stacks': [] } });
  const config = stageConfig((key) => app.node.tryGetContext(key));
  const stack = new DocflowStack(app, `Docflow-${config.stage}`, {
    config,
    env: { account, region },
    webAssetsPath: join(outdir, 'no-web-assets'),
  });
  const template = app.synth().getStackByName(stack.stackName).template as unknown;
  const temporary = `${out}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ stackName: stack.stackName, template }));
  renameSync(temporary, out);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
