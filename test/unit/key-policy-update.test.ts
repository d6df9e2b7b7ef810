import { describe, expect, it } from 'vitest';
import { runTimeKeyPolicy } from '../../lambdas/deployment/key-policy';
import { stageConfig } from '../../lib/config';
import { permissions } from '../../lib/permissions';
import { accountOfKeyArn, decide, stagePrincipals } from '../../ops/keys/plan';

/* What `npm run keys:update-policies` decides for each key, apart from KMS (ops/keys/plan.ts). */

const config = stageConfig((key) => (key === 'stage' ? 'prod' : undefined));
const principals = stagePrincipals({ config, permissions, partition: 'aws', accountId: '111122223333' });
const wanted = runTimeKeyPolicy(principals, 'official');
const key = (tags: Record<string, string>, policy: unknown, keyState = 'Enabled') => ({
  keyId: 'k1',
  keyArn: 'arn:aws:kms:ap-southeast-1:111122223333:key/k1',
  keyState,
  tags,
  policy: typeof policy === 'string' ? policy : JSON.stringify(policy),
});
const official = { 'docflow:stage': 'prod', 'docflow:purpose': 'official', 'docflow:holder': 'official:a' };

describe('which keys the policy update touches', () => {
  it('names the stage’s fixed role names, from the permission map', () => {
    expect(principals.provisioner).toBe('arn:aws:iam::111122223333:role/docflow-prod-certificate-authority');
    expect(principals.readPublicKey.official).toContain(
      'arn:aws:iam::111122223333:role/docflow-prod-signing',
    );
    expect(principals.breakGlassRole).toBe('arn:aws:iam::111122223333:role/docflow-break-glass');
    expect(accountOfKeyArn('arn:aws-cn:kms:cn-north-1:111122223333:key/x')).toEqual({
      partition: 'aws-cn',
      accountId: '111122223333',
    });
  });

  it('leaves another stage’s keys, the stack’s own keys and untagged keys alone', () => {
    expect(decide(key({ ...official, 'docflow:stage': 'dev' }, {}), 'prod', principals)).toBeUndefined();
    expect(
      decide(key({ 'docflow:stage': 'prod', 'docflow:purpose': 'ca-root' }, {}), 'prod', principals),
    ).toBeUndefined();
    expect(decide(key({}, {}), 'prod', principals)).toBeUndefined();
  });

  it('up to date whatever the whitespace; an old policy is updated, naming what it adds; pending deletion is skipped', () => {
    expect(decide(key(official, JSON.stringify(wanted, null, 2)), 'prod', principals)?.action).toBe(
      'up-to-date',
    );
    const old = { ...wanted, Statement: wanted.Statement.filter((s) => !s.Sid.startsWith('OnlyBreakGlass')) };
    const update = decide(key(official, old), 'prod', principals);
    expect(update?.action).toBe('update');
    expect(update?.reason).toBe(
      'adds OnlyBreakGlassDisablesOrDeletes, OnlyBreakGlassOrProvisionerChangesPolicy',
    );
    expect(JSON.parse(update?.policy ?? '')).toEqual(wanted);
    expect(decide(key(official, old, 'PendingDeletion'), 'prod', principals)?.action).toBe('skip');
    expect(decide(key(official, 'not json'), 'prod', principals)?.action).toBe('update');
  });
});
