import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { StageSchema, stageConfig } from '../lib/config';
import { permissions } from '../lib/permissions';
import { accountOfKeyArn, decide, type KeyDecision, stagePrincipals } from './keys/plan';

/*
 * npm run keys:update-policies: brings the policy of every seal and official key of a stage (the keys the
 * certificate authority created at run time) up to what a key created today gets
 * (lambdas/deployment/key-policy.ts): after a release that changes the rule, a new function that reads
 * public keys, a changed break-glass role. Run it as the break-glass role: the keys' policies let no one
 * else change them. Idempotent: a key whose policy is already the wanted one is not touched, so a second
 * run changes nothing. --dry-run lists what it would change and changes nothing.
 * The stage's settings come from cdk.json, as for `cdk synth` (keySpec, breakGlassRoleName).
 * Exit codes: 0 done (or nothing to do); 1 a key could not be updated; 2 could not run (usage, AWS error).
 */

const USAGE = `Usage: npm run keys:update-policies -- --stage <stage> [--region <region>] [--dry-run]

  --stage     the stage (dev, prod…) whose seal and official keys are brought up to date
  --region    the stage's region (default: the SDK's, e.g. AWS_REGION)
  --dry-run   list the keys whose policy would change, and how; change nothing
Run with the break-glass role's credentials (e.g. AWS_PROFILE=docflow-break-glass).
Exit: 0 done, 1 a key could not be updated, 2 could not run.`;

class UsageError extends Error {}

export interface UpdateOptions {
  readonly stage: string;
  readonly region?: string;
  readonly dryRun: boolean;
}

export function parseOptions(argv: readonly string[]): UpdateOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const stage = StageSchema.safeParse(values.stage);
  if (!stage.success) throw new UsageError('--stage is required (2–12 lower-case letters, digits or dashes)');
  return {
    stage: stage.data,
    region: typeof values.region === 'string' ? values.region : undefined,
    dryRun: values['dry-run'] === true,
  };
}

export interface UpdateReport {
  readonly decisions: readonly KeyDecision[];
  readonly updated: readonly string[];
  readonly failed: readonly { keyId: string; error: string }[];
}

function cdkContext(): Record<string, unknown> {
  const file = join(import.meta.dirname, '..', 'cdk.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { context: Record<string, unknown> }).context;
}

/** Reads every key of the account and region, decides, and (unless a dry run) updates what differs. */
export async function updateKeyPolicies(
  kms: KMSClient,
  options: UpdateOptions,
  log: (line: string) => void = () => undefined,
): Promise<UpdateReport> {
  const context = cdkContext();
  const config = stageConfig((key) => (key === 'stage' ? options.stage : context[key]));
  const decisions: KeyDecision[] = [];
  for await (const page of paginateListKeys({ client: kms }, {})) {
    for (const listed of page.Keys ?? []) {
      if (!listed.KeyId || !listed.KeyArn) continue;
      const tags: Record<string, string> = {};
      for await (const tag of listTags(kms, listed.KeyId)) tags[tag.key] = tag.value;
      if (tags['docflow:stage'] !== options.stage) continue;
      const [{ KeyMetadata }, { Policy }] = await Promise.all([
        kms.send(new DescribeKeyCommand({ KeyId: listed.KeyId })),
        kms.send(new GetKeyPolicyCommand({ KeyId: listed.KeyId, PolicyName: 'default' })),
      ]);
      const principals = stagePrincipals({ config, permissions, ...accountOfKeyArn(listed.KeyArn) });
      const decision = decide(
        {
          keyId: listed.KeyId,
          keyArn: listed.KeyArn,
          keyState: KeyMetadata?.KeyState ?? 'Unknown',
          tags,
          policy: Policy ?? '',
        },
        options.stage,
        principals,
      );
      if (decision) decisions.push(decision);
    }
  }
  const updated: string[] = [];
  const failed: { keyId: string; error: string }[] = [];
  for (const d of decisions) {
    const what = `${d.keyId} (${d.holder || d.group})`;
    if (d.action === 'up-to-date') continue;
    if (d.action === 'skip') {
      log(`skip     ${what}: ${d.reason}`);
      continue;
    }
    if (options.dryRun) {
      log(`would update ${what}: ${d.reason}`);
      continue;
    }
    try {
      await kms.send(new PutKeyPolicyCommand({ KeyId: d.keyId, PolicyName: 'default', Policy: d.policy }));
      updated.push(d.keyId);
      log(`updated  ${what}: ${d.reason}`);
    } catch (error) {
      failed.push({ keyId: d.keyId, error: `${(error as Error).name}: ${(error as Error).message}` });
      log(`FAILED   ${what}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  const current = decisions.filter((d) => d.action === 'up-to-date').length;
  const pending = decisions.filter((d) => d.action === 'update').length;
  log(
    options.dryRun
      ? `${decisions.length} seal and official keys of stage ${options.stage}: ${pending} would be updated, ${current} up to date (dry run: nothing changed)`
      : `${decisions.length} seal and official keys of stage ${options.stage}: ${updated.length} updated, ${current} already up to date${failed.length > 0 ? `, ${failed.length} failed` : ''}`,
  );
  return { decisions, updated, failed };
}

async function* listTags(kms: KMSClient, keyId: string): AsyncGenerator<{ key: string; value: string }> {
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker }));
    for (const tag of page.Tags ?? []) {
      if (tag.TagKey !== undefined && tag.TagValue !== undefined)
        yield { key: tag.TagKey, value: tag.TagValue };
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: UpdateOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(error.message);
    console.error(USAGE);
    return 2;
  }
  const kms = new KMSClient(options.region ? { region: options.region } : {});
  try {
    const report = await updateKeyPolicies(kms, options, (line) => console.log(line));
    return report.failed.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`could not run: ${(error as Error).name}: ${(error as Error).message}`);
    return 2;
  } finally {
    kms.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
