import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { docflowStack, nagFindings, PROD_CONTEXT, webDist } from './synth';

/*
 * cdk-nag's AwsSolutions pack on the whole app, as bin/docflow.ts registers it. cdk-nag 3 is a CDK policy
 * validation plugin: findings appear in the validation report (not as annotations), and acknowledgements
 * (Validations.of(x).acknowledge) are its suppressions.
 */

const PROD = {
  ...PROD_CONTEXT,
  keySpec: 'ECC_NIST_P256',
  tsaKeySpec: 'ECC_NIST_P256',
  allowedCountries: 'VN',
  webAclArn:
    'arn:aws:wafv2:us-east-1:111111111111:global/webacl/docflow/12345678-1234-1234-1234-123456789012',
};

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev defaults', {}],
    ['prod with custom domains, WAF, geo restriction, ECC keys, a recovery region', PROD],
    ['prod with its copies in another account', { ...PROD, drAccount: '222222222222' }],
    ['dev with the plus user pool plan', { userPoolPlan: 'plus' }],
    ['dev with a recovery region', { drRegion: 'ap-southeast-2' }],
  ])('%s: no unacknowledged error or warning', (_, context) => {
    const { app } = docflowStack({ context, nag: true });
    expect(nagFindings(app)).toEqual([]);
  });

  it('with the web inbox deployed from web/dist: no unacknowledged error or warning', () => {
    const { app } = docflowStack({ nag: true, webAssetsPath: webDist() });
    expect(nagFindings(app)).toEqual([]);
  });

  it('the same where the account is known only at deploy time (`npm run synth` without credentials)', () => {
    const { app } = docflowStack({ nag: true, webAssetsPath: webDist(), env: { region: 'us-east-1' } });
    expect(nagFindings(app)).toEqual([]);
  });

  it('reports what it finds (a topic without TLS enforcement, added on purpose)', () => {
    const { app, stack } = docflowStack({ nag: true });
    new Topic(stack, 'Careless');
    expect(nagFindings(app)).toContainEqual({
      rule: 'AwsSolutions-SNS3',
      severity: 'error',
      paths: ['Docflow-dev/Careless/Resource'],
    });
  });

  it('every acknowledgement names its reason', () => {
    const { stack, recovery } = docflowStack({
      context: { userPoolPlan: 'essentials', drRegion: 'ap-southeast-2' },
      webAssetsPath: webDist(),
    });
    const acknowledgements: { path: string; rule: string; reason: string }[] = [];
    const visit = (node: IConstruct) => {
      for (const entry of node.node.metadata) {
        if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
        for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgements.push({ path: node.node.path, rule, reason });
        }
      }
      for (const child of node.node.children) visit(child);
    };
    visit(stack);
    if (recovery) visit(recovery);
    expect(acknowledgements.length).toBeGreaterThan(5);
    for (const a of acknowledgements) {
      expect(a.rule).toMatch(/AwsSolutions-/);
      // A reason says why, in words: not empty, not a placeholder.
      expect(
        a.reason.trim().split(/\s+/).length,
        `${a.path} ${a.rule}: "${a.reason}"`,
      ).toBeGreaterThanOrEqual(5);
    }
  });
});
