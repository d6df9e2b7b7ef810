import { describe, expect, it } from 'vitest';
import { Resolver, type Template } from '../../local/iam/resolve';
import { StackModel } from '../../local/iam/stack-model';

// How the local stack reads the CDK template (local/iam/stack-model.ts): intrinsic functions resolved to
// local names, the public web origin to the gateway, and each function's role and DOCFLOW_* variables.

const GATEWAY = 'http://127.0.0.1:4000';
/** CloudFormation's `${…}` (Fn::Sub), written so that it is not taken for a template literal's. */
const cfn = (text: string) => text.replaceAll('$(', '${').replaceAll(')$', '}');

const template: Template = {
  Resources: {
    Dist: { Type: 'AWS::CloudFront::Distribution', Properties: {} },
    Issuer: {
      Type: 'AWS::IAM::OIDCProvider',
      Properties: {
        Url: {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': ['Dist', 'DomainName'] }, '/api/signature-activation'],
          ],
        },
        ClientIdList: ['docflow-signer'],
      },
    },
    TrustConditions: {
      Type: 'Custom::AWSCDKCfnJson',
      Properties: {
        Value: {
          'Fn::Join': [
            '',
            [
              '{"',
              { 'Fn::GetAtt': ['Dist', 'DomainName'] },
              '/api/signature-activation:aud":"docflow-signer"}',
            ],
          ],
        },
      },
    },
    SessionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: { Ref: 'Issuer' } },
              Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
              Condition: { StringEquals: { 'Fn::GetAtt': ['TrustConditions', 'Value'] } },
            },
          ],
        },
      },
    },
    SignerFunctionRoleAAAA: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    },
    SignerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'SignerPolicy',
        Roles: [{ Ref: 'SignerFunctionRoleAAAA' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'kms:GetPublicKey',
              Resource: { 'Fn::GetAtt': ['ActivationKey', 'Arn'] },
            },
            {
              Effect: 'Allow',
              Action: 'dynamodb:GetItem',
              Resource: { 'Fn::GetAtt': ['ActivationTable', 'Arn'] },
            },
          ],
        },
      },
    },
    ActivationKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyPolicy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': cfn('arn:$(AWS::Partition)$:iam::$(AWS::AccountId)$:root') } },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
        Tags: [{ Key: 'docflow:purpose', Value: 'signature-activation' }],
      },
    },
    ActivationKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: {
        AliasName: 'alias/docflow/local/signature-activation',
        TargetKeyId: { 'Fn::GetAtt': ['ActivationKey', 'Arn'] },
      },
    },
    DataKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [] } } },
    ActivationTable: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
    SignerFunction12345678: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: { 'Fn::GetAtt': ['SignerFunctionRoleAAAA', 'Arn'] },
        Environment: {
          Variables: {
            DOCFLOW_ACTIVATION_TABLE: { Ref: 'ActivationTable' },
            DOCFLOW_SIGNER_SESSION_ROLE_ARN: { 'Fn::GetAtt': ['SessionRole', 'Arn'] },
            DOCFLOW_ACTIVATION_ISSUER: {
              'Fn::Join': [
                '',
                ['https://', { 'Fn::GetAtt': ['Dist', 'DomainName'] }, '/api/signature-activation'],
              ],
            },
            DOCFLOW_CRL_URL: 'http://elsewhere/crl',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      },
    },
  },
};

const model = () =>
  new StackModel({
    stackName: 'Docflow-local',
    template,
    accountId: '000000000000',
    region: 'ap-southeast-1',
    gatewayOrigin: GATEWAY,
    namesByVariable: { DOCFLOW_ACTIVATION_TABLE: 'docflow-SignatureActivation' },
    functionNames: ['signer'],
  });

describe('the local stack model of a template', () => {
  it('puts the OIDC provider at the gateway, and the trust condition keys with it', () => {
    const m = model();
    expect(m.providers()).toEqual([
      { logicalId: 'Issuer', url: `${GATEWAY}/api/signature-activation`, clientIds: ['docflow-signer'] },
    ]);
    const session = m.roles().find((role) => role.logicalId === 'SessionRole');
    expect(session?.name).toBe('Docflow-local-SessionRole');
    expect(session?.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            Federated: 'arn:aws:iam::000000000000:oidc-provider/127.0.0.1:4000/api/signature-activation',
          },
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Condition: { StringEquals: { '127.0.0.1:4000/api/signature-activation:aud': 'docflow-signer' } },
        },
      ],
    });
  });

  it('knows which keys the emulator holds, and resolves their ARNs once provisioned', () => {
    const m = model();
    expect(m.keys().map((k) => [k.logicalId, k.supported, k.aliases])).toEqual([
      ['ActivationKey', true, ['alias/docflow/local/signature-activation']],
      ['DataKey', true, []],
    ]);
    expect(m.keyPolicy('ActivationKey')).toMatchObject({
      Statement: [{ Principal: { AWS: 'arn:aws:iam::000000000000:root' } }],
    });
    // A role policy naming a key cannot be resolved before the key exists.
    expect(() => m.rolePolicies()).toThrow(/ActivationKey/);
    m.setKeyId('ActivationKey', '11111111-2222-4333-8444-555555555555');
    expect(m.rolePolicies()).toEqual([
      {
        roleName: 'Docflow-local-SignerFunctionRoleAAAA',
        policyName: 'SignerPolicy',
        document: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'kms:GetPublicKey',
              Resource: 'arn:aws:kms:ap-southeast-1:000000000000:key/11111111-2222-4333-8444-555555555555',
            },
            {
              Effect: 'Allow',
              Action: 'dynamodb:GetItem',
              Resource: 'arn:aws:dynamodb:ap-southeast-1:000000000000:table/docflow-SignatureActivation',
            },
          ],
        },
      },
    ]);
  });

  it("gives each function its role and the template's DOCFLOW_* variables, resolved locally", () => {
    expect(model().functions()).toEqual([
      {
        name: 'signer',
        logicalId: 'SignerFunction12345678',
        roleName: 'Docflow-local-SignerFunctionRoleAAAA',
        environment: {
          DOCFLOW_ACTIVATION_TABLE: 'docflow-SignatureActivation',
          DOCFLOW_SIGNER_SESSION_ROLE_ARN: 'arn:aws:iam::000000000000:role/Docflow-local-SessionRole',
          DOCFLOW_ACTIVATION_ISSUER: `${GATEWAY}/api/signature-activation`,
        },
      },
    ]);
  });
});

describe('intrinsic functions', () => {
  const resolver = new Resolver(
    {
      Resources: { Thing: { Type: 'AWS::Any::Thing' } },
      Conditions: { IsLocal: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-southeast-1'] } },
    },
    {
      accountId: '000000000000',
      region: 'ap-southeast-1',
      stackName: 'S',
      physical: () => ({ ref: 'thing-1', attributes: { Arn: 'arn:thing' } }),
    },
  );

  it.each([
    [
      { 'Fn::Sub': cfn('x-$(AWS::Region)$-$(Thing)$-$(Thing.Arn)$-$(!Literal)$') },
      cfn('x-ap-southeast-1-thing-1-arn:thing-$(Literal)$'),
    ],
    [{ 'Fn::Sub': [cfn('$(A)$/$(B)$'), { A: 'a', B: { Ref: 'Thing' } }] }, 'a/thing-1'],
    [{ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, 'b'],
    [{ 'Fn::If': ['IsLocal', 'yes', 'no'] }, 'yes'],
    [{ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }] }, { b: [1] }],
    [{ 'Fn::GetAtt': 'Thing.Missing' }, '{{Thing.Missing}}'],
  ])('%j → %j', (value, expected) => {
    expect(resolver.resolve(value)).toEqual(expected);
  });
});
