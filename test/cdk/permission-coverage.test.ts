import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buckets, tables } from '../../lambdas/deployment/resources';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import { type FunctionPermissions, permissions } from '../../lib/permissions';
import { deployedFunctions } from './synth';

/*
 * The permission map against the code: each function's bundle (tree-shaken as deployed, but neither
 * minified nor written) is searched for the tables and buckets it names, and for KMS Sign. A handler that
 * starts using a table its entry does not grant fails here, before it fails in AWS; an entry that grants
 * what the code never touches fails too.
 */

async function bundleText(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  return result.outputFiles.map((f) => f.text).join('\n');
}

/** `tables.views`, `tables2.log`…: esbuild may suffix a renamed binding with a number. */
const named = (code: string, object: 'tables' | 'buckets') =>
  new Set([...code.matchAll(new RegExp(`\\b${object}\\d*\\.(\\w+)`, 'g'))].map((m) => m[1] as string));
const everything = (code: string, object: 'tables' | 'buckets') =>
  new RegExp(`Object\\.(values|keys|entries)\\(${object}\\d*\\)`).test(code);

describe.each(Object.entries(deployedFunctions))(
  'function %s: permission entry against its code',
  (name, spec) => {
    const entry: FunctionPermissions = (permissions as Record<string, FunctionPermissions>)[name] ?? {};
    const code = bundleText(spec.entry);

    it('grants every table and bucket the code names, and none it does not', async () => {
      const text = await code;
      const usedTables = everything(text, 'tables') ? new Set(Object.keys(tables)) : named(text, 'tables');
      const usedBuckets = everything(text, 'buckets')
        ? new Set(Object.keys(buckets))
        : named(text, 'buckets');
      expect([...usedTables].filter((t) => t in tables).sort(), 'tables').toEqual(
        Object.keys(entry.tables ?? {}).sort(),
      );
      expect([...usedBuckets].filter((b) => b in buckets).sort(), 'buckets').toEqual(
        Object.keys(entry.buckets ?? {}).sort(),
      );
    });

    it('may sign exactly when its code can call KMS Sign', async () => {
      const text = await code;
      // The signer signs only with the holder's session from STS, never with its own role.
      const withSession = /new AssumeRoleWithWebIdentityCommand\(/.test(text);
      const signs = /new SignCommand\(/.test(text) && !withSession;
      expect((entry.signWith ?? []).length > 0, 'signWith').toBe(signs);
    });
  },
);
