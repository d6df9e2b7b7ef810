import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  KEY_ADMINISTRATION_ACTIONS,
  RunTimeKeyPrincipalsSchema,
  runTimeKeyPolicy,
} from '../../lambdas/deployment/key-policy';
import { stack } from '../support/api';
import { CITY, post, toSign } from '../support/flow';

/*
 * `npm run keys:update-policies` against the local stack, whose KMS emulator enforces key policies: a seal
 * or official key made before this release (readers named as role principals, no break-glass Deny) gets
 * today's policy; a second run changes nothing; a dry run lists the key and changes nothing. Afterwards
 * the operator, an account administrator, can neither change the policy nor disable or delete the key.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const kmsWith = (credentials: Creds) =>
  new KMSClient({
    endpoint: stack().services.kms,
    region: stack().environment.AWS_REGION,
    credentials,
    maxAttempts: 1,
  });
const operator = (): Creds => ({
  accessKeyId: stack().environment.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: stack().environment.AWS_SECRET_ACCESS_KEY ?? '',
});

/** The command as an operator runs it, with the break-glass role's credentials. */
async function updatePolicies(...args: string[]): Promise<string> {
  const { stdout } = await run(
    resolve(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['ops/update-key-policies.ts', '--stage', 'local', ...args],
    { cwd: repoRoot, env: { ...process.env, ...stack().breakGlass.environment }, timeout: 60_000 },
  );
  return stdout;
}

const principals = () =>
  RunTimeKeyPrincipalsSchema.parse(
    JSON.parse(stack().functions.certificateAuthority?.environment.DOCFLOW_RUN_TIME_KEY_PRINCIPALS ?? '{}'),
  );

/** The policy a key got before this release: readers as role principals, nothing denied but others' use. */
function oldStylePolicy(): string {
  const p = principals();
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KeyAdministrationButNotUse',
        Effect: 'Allow',
        Principal: { AWS: p.account },
        Action: [...KEY_ADMINISTRATION_ACTIONS],
        Resource: '*',
      },
      {
        Sid: 'ReadPublicKey',
        Effect: 'Allow',
        Principal: { AWS: p.readPublicKey.official },
        Action: ['kms:DescribeKey', 'kms:GetPublicKey'],
        Resource: '*',
      },
    ],
  });
}

async function policyOf(keyId: string): Promise<unknown> {
  const kms = kmsWith(operator());
  try {
    return JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy ?? '');
  } finally {
    kms.destroy();
  }
}

async function refusal(credentials: Creds, send: (kms: KMSClient) => Promise<unknown>): Promise<string> {
  const kms = kmsWith(credentials);
  try {
    await send(kms);
    return 'allowed';
  } catch (error) {
    return (error as Error).name;
  } finally {
    kms.destroy();
  }
}

describe('npm run keys:update-policies', () => {
  it('brings an old-style key policy up to date; a second run and a dry run change nothing', async () => {
    // A key the authority made under the old rule (made here by the operator, with that policy and tags).
    const kms = kmsWith(operator());
    const holder = `official:legacy-${Date.now()}`;
    const created = await kms.send(
      new CreateKeyCommand({
        KeySpec: 'RSA_2048',
        KeyUsage: 'SIGN_VERIFY',
        Description: 'docflow signing key made before the policy update',
        Policy: oldStylePolicy(),
        Tags: [
          { TagKey: 'docflow:stage', TagValue: 'local' },
          { TagKey: 'docflow:purpose', TagValue: 'official' },
          { TagKey: 'docflow:holder', TagValue: holder },
        ],
      }),
    );
    kms.destroy();
    const keyId = created.KeyMetadata?.KeyId ?? '';
    // One made today, by the authority: already as the rule wants.
    await post(CITY.signer, `/api/documents/${await toSign(CITY)}/signature-requests`, CITY.capacity ?? {});

    const dry = await updatePolicies('--dry-run');
    expect(dry).toMatch(
      new RegExp(`would update ${keyId} \\(${holder}\\): adds .*OnlyBreakGlassDisablesOrDeletes`),
    );
    expect(dry).toContain('dry run: nothing changed');
    expect(await policyOf(keyId)).toEqual(JSON.parse(oldStylePolicy()));

    const first = await updatePolicies();
    expect(first).toContain(`updated  ${keyId} (${holder})`);
    expect(first).not.toContain(`official/${CITY.signer}`);
    expect(await policyOf(keyId)).toEqual(runTimeKeyPolicy(principals(), 'official'));

    const second = await updatePolicies();
    expect(second).toMatch(/: 0 updated, \d+ already up to date/);
    expect(second).not.toContain(keyId);
    expect(await policyOf(keyId)).toEqual(runTimeKeyPolicy(principals(), 'official'));

    // What the new policy keeps from an account administrator, whatever IAM allows them.
    for (const [action, send] of [
      [
        'PutKeyPolicy',
        (k: KMSClient) =>
          k.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: oldStylePolicy() })),
      ],
      ['DisableKey', (k: KMSClient) => k.send(new DisableKeyCommand({ KeyId: keyId }))],
      [
        'ScheduleKeyDeletion',
        (k: KMSClient) => k.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })),
      ],
    ] as const) {
      expect(await refusal(operator(), send), action).toBe('AccessDeniedException');
    }
    expect(await policyOf(keyId)).toEqual(runTimeKeyPolicy(principals(), 'official'));
  });
});
