import { describe, expect, it } from 'vitest';
import { SIGNING_KEY_SPECS, signingKeySpec } from '../../lambdas/deployment/resources';
import { signingAlgorithm, signingConcurrencyFor, stageConfig } from '../../lib/config';
import { PROD_CONTEXT } from './synth';

const from = (context: Record<string, unknown>) => stageConfig((key) => context[key]);

describe('stage configuration from CDK context', () => {
  it('has safe defaults for a dev stage', () => {
    expect(from({})).toMatchObject({
      stage: 'dev',
      archiveRetentionYears: 10,
      keySpec: 'RSA_2048',
      logRetentionDays: 365,
      userPoolPlan: 'plus',
    });
  });

  it('takes the stage block, and lets top-level (-c) values override it, coercing strings', () => {
    const config = from({
      stage: 'prod',
      stages: { prod: { region: 'ap-southeast-1', archiveRetentionYears: 20, keySpec: 'RSA_3072' } },
      archiveRetentionYears: '30',
      allowedCountries: 'VN, SG',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      region: 'ap-southeast-1',
      archiveRetentionYears: 30,
      keySpec: 'RSA_3072',
      allowedCountries: ['VN', 'SG'],
    });
  });

  it.each([
    [{ stage: 'Prod!' }, /stage/],
    [{ archiveRetentionYears: '0' }, /archiveRetentionYears/],
    [{ archiveRetentionYears: 'ten' }, /archiveRetentionYears/],
    [{ keySpec: 'RSA_1024' }, /keySpec/],
    [{ logRetentionDays: 100 }, /logRetentionDays/],
    [{ region: 'mars-1' }, /region/],
    [{ webDomainName: 'docflow.hanoi.gov.vn' }, /webCertificateArn go together/],
    [
      {
        webDomainName: 'docflow.hanoi.gov.vn',
        webCertificateArn:
          'arn:aws:acm:ap-southeast-1:111111111111:certificate/12345678-1234-1234-1234-123456789012',
      },
      /webCertificateArn/,
    ],
    [{ stages: { dev: { archiveRetentionYear: 5 } } }, /archiveRetentionYear/],
    [{ alarmEmail: 'not-an-email' }, /alarmEmail/],
    [{ authDomainPrefix: 'docflow-cognito' }, /authDomainPrefix/],
    // The web signs in with the code grant and PKCE only: the implicit grant is no longer a setting.
    [{ stages: { dev: { oauthImplicitGrant: true } } }, /oauthImplicitGrant/],
    [{ drAccount: '222222222222' }, /drAccount needs drRegion/],
    [{ region: 'ap-southeast-1', drRegion: 'ap-southeast-1' }, /drRegion must differ/],
    [{ breakGlassRoleName: 'no spaces allowed' }, /breakGlassRoleName/],
    [{ backupVaultLock: 'none' }, /backupVaultLock/],
    [{ sesFromAddress: 'not-an-email' }, /sesFromAddress/],
    [
      { kmsSignRequestsPerSecond: '100', signingReservedConcurrency: '9' },
      /signingReservedConcurrency above/,
    ],
  ])('refuses %j', (context, message) => {
    expect(() => from(context)).toThrow(message);
  });

  it('keeps copies in another account even in the same region', () => {
    expect(
      from({
        account: '111111111111',
        region: 'ap-southeast-1',
        drRegion: 'ap-southeast-1',
        drAccount: '222222222222',
      }),
    ).toMatchObject({ drRegion: 'ap-southeast-1', drAccount: '222222222222' });
  });

  it('a production stage names everything it needs, and synth says which are missing and why', () => {
    let message = '';
    try {
      from({ stage: 'prod', stages: { prod: { production: true } } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/stage "prod" is a production stage/);
    for (const key of [
      'account',
      'region',
      'drRegion',
      'webDomainName',
      'apiDomainName',
      'sesFromAddress',
      'alarmEmail',
    ]) {
      expect(message).toContain(`✖ ${key}:`);
    }
    expect(from({ ...PROD_CONTEXT, stages: { prod: { production: true } } })).toMatchObject({
      production: true,
      account: '111111111111',
      region: 'ap-southeast-1',
    });
    // Any stage may call itself production.
    expect(() => from({ stage: 'staging', production: 'true' })).toThrow(
      /stage "staging" is a production stage/,
    );
  });

  it('accepts exactly the key specs the run time signs with (one list: lambdas/deployment/resources.ts)', () => {
    for (const keySpec of SIGNING_KEY_SPECS) {
      expect(from({ keySpec }).keySpec).toBe(keySpec);
      process.env.DOCFLOW_SIGNING_KEY_SPEC = keySpec;
      expect(signingKeySpec()).toBe(keySpec);
    }
    process.env.DOCFLOW_SIGNING_KEY_SPEC = 'RSA_4096';
    expect(() => signingKeySpec()).toThrow(/RSA_4096/);
    delete process.env.DOCFLOW_SIGNING_KEY_SPEC;
    expect(() => from({ keySpec: 'RSA_4096' })).toThrow(/keySpec/);
  });

  it('sizes the signer’s concurrency to its share of the KMS quota', () => {
    // 80% of the quota, 10 requests/s per running invocation (two Sign calls in at least 200 ms).
    expect(signingConcurrencyFor(500)).toBe(40);
    expect(signingConcurrencyFor(1000)).toBe(80);
    expect(signingConcurrencyFor(5)).toBe(1);
    expect(from({}).signingReservedConcurrency).toBeUndefined();
    expect(from({ signingReservedConcurrency: '5' }).signingReservedConcurrency).toBe(5);
  });

  it('pins one signing algorithm per key spec', () => {
    expect(signingAlgorithm('RSA_2048')).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(signingAlgorithm('RSA_3072')).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(signingAlgorithm('ECC_NIST_P256')).toBe('ECDSA_SHA_256');
  });
});
