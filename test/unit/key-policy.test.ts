import { describe, expect, it } from 'vitest';
import { KEY_ADMINISTRATION_ACTIONS, runTimeKeyPolicy } from '../../lambdas/deployment/key-policy';

const principals = {
  account: 'arn:aws:iam::111111111111:root',
  signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  groups: {
    seal: {
      sign: ['arn:aws:iam::111111111111:role/signing'],
      readPublicKey: ['arn:aws:iam::111111111111:role/ca'],
    },
    official: { sign: [], readPublicKey: ['arn:aws:iam::111111111111:role/ca'] },
  },
};

describe('the key policy of a seal or official key made at run time', () => {
  it('lets the account administer the key but not use it', () => {
    const [admin] = runTimeKeyPolicy(principals, 'seal').Statement;
    expect(admin?.Principal).toEqual({ AWS: principals.account });
    expect(admin?.Action).toEqual([...KEY_ADMINISTRATION_ACTIONS]);
    for (const use of ['kms:Sign', 'kms:Verify', 'kms:CreateGrant', 'kms:*']) {
      expect(admin?.Action, use).not.toContain(use);
    }
  });

  it('names the signing roles for kms:Sign on digests with the one algorithm, and nothing else for them', () => {
    const sign = runTimeKeyPolicy(principals, 'seal').Statement.filter((s) => s.Action === 'kms:Sign');
    expect(sign).toEqual([
      {
        Sid: 'SignDigests',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111111111111:role/signing'] },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:MessageType': 'DIGEST', 'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256' },
        },
      },
    ]);
  });

  it('gives no one kms:Sign where no role signs with the group', () => {
    const statements = runTimeKeyPolicy(principals, 'official').Statement;
    expect(statements.some((s) => [s.Action].flat().includes('kms:Sign'))).toBe(false);
    expect(statements.find((s) => s.Sid === 'ReadPublicKey')?.Principal).toEqual({
      AWS: ['arn:aws:iam::111111111111:role/ca'],
    });
  });
});
