import { isDeepStrictEqual } from 'node:util';
import {
  KEY_TAGS,
  type RunTimeKeyPrincipals,
  runTimeKeyPolicy,
  runTimeKeyPrincipalsFor,
} from '../../lambdas/deployment/key-policy';
import { type StageConfig, signingAlgorithm } from '../../lib/config';
import type { PermissionMap } from '../../lib/permissions';

/*
 * What `npm run keys:update-policies` decides, apart from KMS: which keys are this stage's run-time seal
 * and official keys (by their tags), and which of them have a policy other than the one a key created today
 * would get (lambdas/deployment/key-policy.ts). Comparing parsed JSON, not text, makes a second run a no-op
 * whatever whitespace KMS keeps.
 */

export interface KeyFacts {
  readonly keyId: string;
  readonly keyArn: string;
  readonly keyState: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The key's current policy text. */
  readonly policy: string;
}

export type KeyGroup = 'seal' | 'official';

export interface KeyDecision {
  readonly keyId: string;
  readonly keyArn: string;
  readonly group: KeyGroup;
  /** `docflow:holder`: `official:<personId>` or `seal:<orgId>`. */
  readonly holder: string;
  readonly action: 'update' | 'up-to-date' | 'skip';
  /** Why a key is skipped, or which statements change. */
  readonly reason: string;
  readonly policy: string;
}

/** The principals a stage's run-time keys name, from its settings and the permission map alone. */
export function stagePrincipals(args: {
  readonly config: StageConfig;
  readonly permissions: PermissionMap;
  readonly partition: string;
  readonly accountId: string;
}): RunTimeKeyPrincipals {
  const entries = Object.entries(args.permissions);
  const readers = (group: KeyGroup) =>
    entries.filter(([, p]) => p.publicKeysOf?.includes(group)).map(([name]) => name);
  const provisioner = entries.find(([, p]) => p.provisionKeys)?.[0];
  if (!provisioner) throw new Error('the permission map names no function that provisions keys');
  return runTimeKeyPrincipalsFor({
    partition: args.partition,
    accountId: args.accountId,
    stage: args.config.stage,
    signingAlgorithm: signingAlgorithm(args.config.keySpec),
    breakGlassRoleName: args.config.breakGlassRoleName,
    readers: { seal: readers('seal'), official: readers('official') },
    provisioner,
  });
}

/** `arn:<partition>:kms:<region>:<account>:key/<id>` → partition and account. */
export function accountOfKeyArn(arn: string): { partition: string; accountId: string } {
  const match = /^arn:(aws[a-z-]*):kms:[a-z0-9-]+:(\d{12}):key\//.exec(arn);
  if (!match?.[1] || !match[2]) throw new Error(`not a KMS key ARN: ${arn}`);
  return { partition: match[1], accountId: match[2] };
}

const statementIds = (policy: unknown): string[] => {
  const statements = (policy as { Statement?: unknown }).Statement;
  return Array.isArray(statements)
    ? statements.map((s) => String((s as { Sid?: unknown }).Sid ?? '(no Sid)'))
    : [];
};

/** Whether a key is a run-time key of this stage; if so, what its policy should be and whether it is. */
export function decide(
  key: KeyFacts,
  stage: string,
  principals: RunTimeKeyPrincipals,
): KeyDecision | undefined {
  if (key.tags[KEY_TAGS.stage] !== stage) return undefined;
  const purpose = key.tags[KEY_TAGS.purpose];
  if (purpose !== 'seal' && purpose !== 'official') return undefined;
  const group: KeyGroup = purpose;
  const holder = key.tags[KEY_TAGS.holder] ?? '';
  const wanted = runTimeKeyPolicy(principals, group);
  const base = { keyId: key.keyId, keyArn: key.keyArn, group, holder, policy: JSON.stringify(wanted) };
  // KMS refuses a policy change on a key pending deletion; the break-glass role cancels the deletion first.
  if (key.keyState === 'PendingDeletion' || key.keyState === 'PendingReplicaDeletion') {
    return { ...base, action: 'skip', reason: `key state ${key.keyState}` };
  }
  let current: unknown;
  try {
    current = JSON.parse(key.policy);
  } catch {
    current = undefined;
  }
  if (isDeepStrictEqual(current, JSON.parse(base.policy))) {
    return { ...base, action: 'up-to-date', reason: '' };
  }
  const had = new Set(current === undefined ? [] : statementIds(current));
  const want = statementIds(wanted);
  const added = want.filter((sid) => !had.has(sid));
  const removed = [...had].filter((sid) => !want.includes(sid));
  const changed = want.filter((sid) => had.has(sid));
  const parts = [
    added.length > 0 ? `adds ${added.join(', ')}` : '',
    removed.length > 0 ? `removes ${removed.join(', ')}` : '',
    added.length === 0 && removed.length === 0 ? `changes ${changed.join(', ')}` : '',
  ].filter(Boolean);
  return { ...base, action: 'update', reason: parts.join('; ') };
}
