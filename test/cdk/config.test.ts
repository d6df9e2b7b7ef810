import { describe, expect, it } from 'vitest';
import { signingAlgorithm, stageConfig } from '../../lib/config';

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
    [{ oauthImplicitGrant: 'yes' }, /oauthImplicitGrant/],
  ])('refuses %j', (context, message) => {
    expect(() => from(context)).toThrow(message);
  });

  it('keeps the OAuth implicit grant off unless a stage turns it on', () => {
    expect(from({}).oauthImplicitGrant).toBe(false);
    expect(from({ oauthImplicitGrant: 'true' }).oauthImplicitGrant).toBe(true);
    expect(from({ stages: { dev: { oauthImplicitGrant: true } } }).oauthImplicitGrant).toBe(true);
  });

  it('pins one signing algorithm per key spec', () => {
    expect(signingAlgorithm('RSA_2048')).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(signingAlgorithm('RSA_4096')).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(signingAlgorithm('ECC_NIST_P256')).toBe('ECDSA_SHA_256');
  });
});
