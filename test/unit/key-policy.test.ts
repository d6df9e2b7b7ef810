import { describe, expect, it } from 'vitest';
import {
  functionRoleName,
  KEY_ADMINISTRATION_ACTIONS,
  runTimeKeyPolicy,
  runTimeKeyPrincipalsFor,
} from '../../lambdas/deployment/key-policy';

const principals = runTimeKeyPrincipalsFor({
  partition: 'aws',
  accountId: '111111111111',
  stage: 'prod',
  signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
  breakGlassRoleName: 'security/docflow-break-glass',
  readers: { seal: ['certificateAuthority', 'signing'], official: ['certificateAuthority'] },
  provisioner: 'certificateAuthority',
});

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
    const denies = runTimeKeyPolicy(principals, 'seal').Statement.filter(
      (s) => s.Effect === 'Deny' && s.Action === 'kms:Sign',
    );
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
    expect(read?.Action).toEqual(['kms:DescribeKey', 'kms:GetPublicKey']);
    expect(read?.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': principals.readPublicKey.seal } });
  });

  it('names roles by fixed name under the account principal, never a role as principal: a replaced role still matches', () => {
    expect(principals.readPublicKey.seal).toEqual([
      'arn:aws:iam::111111111111:role/docflow-prod-certificate-authority',
      'arn:aws:iam::111111111111:role/docflow-prod-signing',
    ]);
    expect(functionRoleName('prod', 'signatureActivation')).toBe('docflow-prod-signature-activation');
    for (const statement of runTimeKeyPolicy(principals, 'official').Statement) {
      expect([principals.account, '*'], statement.Sid).toContainEqual(statement.Principal.AWS);
    }
  });

  it('denies disabling, deleting and re-policing the key to all but the break-glass role (and, for KMS’s lockout check, its creator)', () => {
    const denies = runTimeKeyPolicy(principals, 'official').Statement.filter(
      (s) => s.Effect === 'Deny' && !s.Action.includes('kms:Sign'),
    );
    expect(denies.map((s) => [s.Sid, s.Action, s.Condition])).toEqual([
      [
        'OnlyBreakGlassDisablesOrDeletes',
        ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
        {
          ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/security/docflow-break-glass'] },
        },
      ],
      [
        'OnlyBreakGlassOrProvisionerChangesPolicy',
        ['kms:PutKeyPolicy'],
        {
          ArnNotLike: {
            'aws:PrincipalArn': [
              'arn:aws:iam::111111111111:role/security/docflow-break-glass',
              'arn:aws:iam::111111111111:role/docflow-prod-certificate-authority',
            ],
          },
        },
      ],
    ]);
  });
});
