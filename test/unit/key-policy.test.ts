import { describe, expect, it } from 'vitest';
import { KEY_ADMINISTRATION_ACTIONS, runTimeKeyPolicy } from '../../lambdas/deployment/key-policy';

const principals = {
  account: 'arn:aws:iam::111111111111:root',
  signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  signerSessionRole: 'arn:aws:iam::111111111111:role/docflow-prod-signer-session',
  readPublicKey: {
    seal: ['arn:aws:iam::111111111111:role/ca', 'arn:aws:iam::111111111111:role/signing'],
    official: ['arn:aws:iam::111111111111:role/ca'],
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

  it("allows kms:Sign only to a signer session whose holder tag is the key's, on digests, one algorithm", () => {
    const allows = runTimeKeyPolicy(principals, 'official').Statement.filter(
      (s) => s.Effect === 'Allow' && [s.Action].flat().includes('kms:Sign'),
    );
    expect(allows).toEqual([
      {
        Sid: 'SignAsTheHolderOnly',
        Effect: 'Allow',
        Principal: { AWS: principals.account },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:MessageType': 'DIGEST',
            'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256',
            'aws:PrincipalArn': principals.signerSessionRole,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
            'aws:ResourceTag/docflow:holder': '${aws:PrincipalTag/docflow:holder}',
          },
        },
      },
    ]);
  });

  it('denies kms:Sign to every other principal and to a session of another holder, whatever IAM says', () => {
    const denies = runTimeKeyPolicy(principals, 'seal').Statement.filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => [s.Action, s.Principal, s.Condition])).toEqual([
      ['kms:Sign', { AWS: '*' }, { StringNotEquals: { 'aws:PrincipalArn': principals.signerSessionRole } }],
      [
        'kms:Sign',
        { AWS: '*' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
        { StringNotEquals: { 'aws:ResourceTag/docflow:holder': '${aws:PrincipalTag/docflow:holder}' } },
      ],
    ]);
  });

  it('lets the named roles read the public key, and nothing more', () => {
    const read = runTimeKeyPolicy(principals, 'seal').Statement.find((s) => s.Sid === 'ReadPublicKey');
    expect(read?.Principal).toEqual({ AWS: principals.readPublicKey.seal });
    expect(read?.Action).toEqual(['kms:DescribeKey', 'kms:GetPublicKey']);
  });
});
