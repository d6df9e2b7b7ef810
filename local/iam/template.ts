import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as z from 'zod';
import type { Template } from './resolve';

/*
 * The CDK stack's CloudFormation template, which the local stack takes its roles, policies, keys and OIDC
 * providers from. Synthesizing takes seconds (aws-cdk-lib), so the template is cached under
 * node_modules/.cache/docflow-local/, keyed by a hash of everything it is made from: lib/**,
 * lambdas/deployment/**, lambdas/routes.ts, cdk.json and the aws-cdk-lib version.
 */

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'docflow-local');
const INPUTS = [
  'lib',
  'lambdas/deployment',
  'lambdas/routes.ts',
  'cdk.json',
  'node_modules/aws-cdk-lib/package.json',
];

const Synthesized = z.object({
  stackName: z.string(),
  template: z.object({
    Resources: z.record(
      z.string(),
      z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
    ),
    Conditions: z.record(z.string(), z.unknown()).optional(),
  }),
});

export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: Template;
  /** Whether it came from the cache. */
  readonly cached: boolean;
}

async function files(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(
    entries.filter((entry) => !entry.name.startsWith('.')).map((entry) => files(join(path, entry.name))),
  );
  return nested.flat();
}

/** A digest of the files the template is made from, and of the parameters. */
export async function templateHash(parameters: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(parameters));
  const all = (await Promise.all(INPUTS.map((input) => files(join(REPO_ROOT, input))))).flat().sort();
  for (const file of all) {
    hash
      .update(relative(REPO_ROOT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function synthesize(out: string, parameters: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'local', 'iam', 'synth-template.ts'), out, ...parameters],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      },
    );
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`synthesizing the CDK stack failed (${code}):\n${errors}`)),
    );
  });
}

/** Keeps the few most recent templates (other branches' lib/), not one per edit ever made. */
async function pruneCache(keep = 5): Promise<void> {
  const names = (await readdir(CACHE_DIR)).filter((name) => /^template-[0-9a-f]+\.json$/.test(name));
  const dated = await Promise.all(
    names.map(async (name) => ({ name, at: (await stat(join(CACHE_DIR, name))).mtimeMs })),
  );
  for (const { name } of dated.sort((a, b) => b.at - a.at).slice(keep))
    await rm(join(CACHE_DIR, name), { force: true });
}

/** The synthesized stack for the local stage, from the cache when lib/ has not changed. */
export async function localTemplate(options: {
  stage: string;
  accountId: string;
  region: string;
}): Promise<SynthesizedStack> {
  const parameters = [options.stage, options.accountId, options.region];
  const file = join(CACHE_DIR, `template-${await templateHash(parameters)}.json`);
  let cached = true;
  try {
    await stat(file);
  } catch {
    cached = false;
    await mkdir(CACHE_DIR, { recursive: true });
    await synthesize(file, parameters);
    await pruneCache();
  }
  const parsed = Synthesized.parse(JSON.parse(await readFile(file, 'utf8')));
  return { stackName: parsed.stackName, template: parsed.template, cached };
}
