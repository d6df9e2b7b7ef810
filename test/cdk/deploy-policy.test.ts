import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/constructs/docflow-function';
import { cloudFormationExecutionPolicy, formatPolicy, type PolicyDocument } from '../../ops/deploy-policy';
import { CLOUDFORMATION_NEEDS, neededActions } from './cloudformation-actions';
import { type CfnResource, docflowStack, PROD_CONTEXT, webDist } from './synth';

/*
 * The CloudFormation execution policy (ops/deploy-policy.ts, shown in docs/DEPLOY.md) against what the
 * synthesized templates need (test/cdk/cloudformation-actions.ts): every action of every resource of every
 * stack, in a default dev stage and in a production stage with everything turned on.
 */

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
const matches = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(action);
const allows = (policy: PolicyDocument, action: string) =>
  policy.Statement.some((s) => s.Effect === 'Allow' && s.Action.some((pattern) => matches(pattern, action)));

const EXAMPLE = {
  account: '111122223333',
  region: 'ap-southeast-1',
  recovery: 'ap-southeast-2',
  stage: 'prod',
};

const templates = (context: Record<string, unknown>, web: boolean) => {
  const { stack, recovery } = docflowStack({ context, webAssetsPath: web ? webDist() : undefined });
  return [stack, ...(recovery ? [recovery] : [])].map(
    (s) =>
      Template.fromStack(s).toJSON() as {
        Resources: Record<string, CfnResource>;
      },
  );
};

describe('the CloudFormation execution policy', () => {
  const policy = cloudFormationExecutionPolicy({
    account: '111111111111',
    regions: ['ap-southeast-1', 'ap-southeast-2'],
    stage: 'prod',
  });

  it.each([
    ['a dev stage', {}, false],
    [
      'a production stage with the web inbox, a WAF, SES and a second account for copies',
      {
        ...PROD_CONTEXT,
        drAccount: '222222222222',
        sesVerifiedDomain: 'hanoi.gov.vn',
        allowedCountries: 'VN',
        webAclArn:
          'arn:aws:wafv2:us-east-1:111111111111:global/webacl/docflow/12345678-1234-1234-1234-123456789012',
      },
      true,
    ],
  ])('allows every action %s needs', (_, context, web) => {
    for (const template of templates(context, web)) {
      const missing = [...neededActions(template.Resources)].filter(([action]) => !allows(policy, action));
      expect(missing.map(([action, why]) => `${action} (${why[0]}…)`)).toEqual([]);
    }
  });

  it('knows what every resource type of the templates needs', () => {
    const types = templates({ ...PROD_CONTEXT }, true).flatMap((t) =>
      Object.values(t.Resources).map((r) => r.Type),
    );
    expect([...new Set(types)].filter((type) => !(type in CLOUDFORMATION_NEEDS))).toEqual([]);
  });

  it('the actions the first deploys lacked are there: rules, table grants, global tables', () => {
    for (const action of [
      'events:PutRule',
      'events:PutTargets',
      'kms:CreateGrant',
      'dynamodb:CreateTableReplica',
      'dynamodb:PutItem',
    ]) {
      expect(allows(policy, action), action).toBe(true);
    }
  });

  it('cannot destroy a key, whatever a template asks', () => {
    for (const action of ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:*']) {
      expect(allows(policy, action), action).toBe(false);
    }
  });

  it('passes roles only to the services that take docflow’s roles', () => {
    const pass = policy.Statement.filter((s) => s.Action.includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(pass[0]?.Condition?.StringEquals?.['iam:PassedToService']).toBeDefined();
  });

  it('docs/DEPLOY.md shows exactly what `npm run deploy-policy` prints for its example', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/DEPLOY.md'), 'utf8');
    expect(docs).toContain(
      `npm run deploy-policy -- --account ${EXAMPLE.account} --region ${EXAMPLE.region} --recovery-region ${EXAMPLE.recovery} --stage ${EXAMPLE.stage}`,
    );
    const printed = formatPolicy(
      cloudFormationExecutionPolicy({
        account: EXAMPLE.account,
        regions: [EXAMPLE.region, EXAMPLE.recovery],
        stage: EXAMPLE.stage,
      }),
    );
    expect(docs).toContain(`\`\`\`json\n${printed}\n\`\`\``);
    expect(() => JSON.parse(printed)).not.toThrow();
  });
});
