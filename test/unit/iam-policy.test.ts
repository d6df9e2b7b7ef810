import { describe, expect, it } from 'vitest';
import {
  accessDeniedMessage,
  type Caller,
  type ContextValues,
  decide,
  evaluate,
  MalformedPolicy,
  parsePolicy,
} from '../../local/iam/policy';

// The local IAM policy evaluator (local/iam/policy.ts), which the KMS emulator and the local STS decide
// with: the grammar, the matching of principals, actions and resources, and each condition operator.

const ACCOUNT = '000000000000';
/** `${name}`: an IAM policy variable (written so, it is not mistaken for a template placeholder). */
const variable = (name: string) => `\${${name}}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/signer-session`;
const session: Caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/signer-session/sad-1`,
  accountId: ACCOUNT,
  roleArn: ROLE,
};
const other: Caller = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/signing/signing`,
  accountId: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/signing`,
};
const KEY = `arn:aws:kms:ap-southeast-1:${ACCOUNT}:key/11111111-2222-4333-8444-555555555555`;

const keyPolicy = parsePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Admin',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ['kms:Describe*', 'kms:GetPublicKey', 'kms:PutKeyPolicy'],
        Resource: '*',
      },
      {
        Sid: 'SignForTheHolder',
        Effect: 'Allow',
        Principal: { AWS: ROLE },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: {
          StringEquals: {
            'aws:ResourceTag/docflow:holder': variable('aws:PrincipalTag/docflow:holder'),
            'kms:MessageType': 'DIGEST',
          },
        },
      },
    ],
  },
  'resource',
);

const request = (caller: Caller, action: string, context: ContextValues = {}, resource = KEY) => ({
  action,
  resource,
  caller,
  context,
});

const holderContext = (principal: string | undefined, resource: string) => ({
  'aws:PrincipalTag/docflow:holder': principal,
  'aws:ResourceTag/docflow:holder': resource,
  'kms:MessageType': 'DIGEST',
});

describe('a key policy with the holder rule', () => {
  it("lets the session sign a key tagged with the session's holder", () => {
    const decision = decide(
      [],
      keyPolicy,
      request(session, 'kms:Sign', holderContext('official:a', 'official:a')),
    );
    expect(decision.allowed).toBe(true);
  });

  it("refuses the session on another holder's key, and a session without the tag", () => {
    expect(
      decide([], keyPolicy, request(session, 'kms:Sign', holderContext('official:a', 'official:b'))),
    ).toEqual({
      allowed: false,
      reason: 'no resource-based policy allows',
    });
    const untagged = request(session, 'kms:Sign', holderContext(undefined, 'official:a'));
    expect(decide([], keyPolicy, untagged).allowed).toBe(false);
  });

  it('does not let a value with a wildcard in the tag match another holder', () => {
    const decision = decide(
      [],
      keyPolicy,
      request(session, 'kms:Sign', holderContext('official:*', 'official:b')),
    );
    expect(decision.allowed).toBe(false);
  });

  it('refuses another role, even one whose IAM policy allows kms:Sign on every key', () => {
    const everything = parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
      'identity',
    );
    const decision = decide(
      [everything],
      keyPolicy,
      request(other, 'kms:Sign', holderContext('official:a', 'official:a')),
    );
    expect(decision.allowed).toBe(false);
  });

  it("delegates to the account: an administrator's IAM policy allows what the key policy gives the account", () => {
    const admin = parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      'identity',
    );
    expect(decide([admin], keyPolicy, request(other, 'kms:DescribeKey')).allowed).toBe(true);
    expect(decide([], keyPolicy, request(other, 'kms:DescribeKey'))).toEqual({
      allowed: false,
      reason: 'no identity-based policy allows',
    });
    // An explicit deny in either policy wins.
    const deny = parsePolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Describe*', Resource: KEY }] },
      'identity',
    );
    const denied = decide([admin, deny], keyPolicy, request(other, 'kms:DescribeKey'));
    expect(denied).toEqual({ allowed: false, reason: 'explicit deny in an identity-based policy' });
    expect(
      accessDeniedMessage(
        request(other, 'kms:DescribeKey'),
        denied as Extract<typeof denied, { allowed: false }>,
      ),
    ).toBe(
      `User: ${other.arn} is not authorized to perform: kms:DescribeKey on resource: ${KEY} with an explicit deny in an identity-based policy`,
    );
  });
});

describe('the grammar', () => {
  it.each([
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'identity', /Action/],
    [
      { Statement: [{ Effect: 'Allow', Action: 'kms:Sign', NotAction: 'kms:Verify', Resource: '*' }] },
      'identity',
      /Action/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: 'kms:Sign', Resource: '*', Principal: '*' }] },
      'identity',
      /Principal/,
    ],
    [{ Statement: [{ Effect: 'Allow', Action: 'kms:Sign', Resource: '*' }] }, 'resource', /Principal/],
    [{ Statement: [{ Effect: 'Allow', Action: 'kms:Sign' }] }, 'identity', /Resource/],
    [{ Statement: [{ Effect: 'Maybe', Action: 'kms:Sign', Resource: '*' }] }, 'identity', /Invalid policy/],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: 'kms:Sign', Resource: '*', Condition: { StringEqual: { a: 'b' } } },
        ],
      },
      'identity',
      /operator/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: 'kms:Sign', Resource: '*', Condition: { NullIfExists: { a: 'true' } } },
        ],
      },
      'identity',
      /operator/,
    ],
    ['{not json', 'identity', /JSON/],
  ] as const)('refuses %j as a %s policy', (document, kind, message) => {
    expect(() => parsePolicy(document, kind)).toThrow(MalformedPolicy);
    expect(() => parsePolicy(document, kind)).toThrow(message);
  });
});

const allows = (statement: object, action: string, resource: string, context: ContextValues = {}) => {
  const policy = parsePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] },
    'identity',
  );
  return evaluate([policy], { action, resource, caller: other, context }).allow !== undefined;
};

describe('actions and resources', () => {
  it('matches actions case-insensitively with wildcards, and NotAction by exclusion', () => {
    expect(allows({ Action: 'KMS:get*', Resource: '*' }, 'kms:GetPublicKey', KEY)).toBe(true);
    expect(allows({ Action: 'kms:?ign', Resource: '*' }, 'kms:Sign', KEY)).toBe(true);
    expect(allows({ Action: 'kms:Get*', Resource: '*' }, 'kms:Sign', KEY)).toBe(false);
    expect(allows({ NotAction: 'kms:Sign', Resource: '*' }, 'kms:Sign', KEY)).toBe(false);
    expect(allows({ NotAction: 'kms:Sign', Resource: '*' }, 'kms:Verify', KEY)).toBe(true);
  });

  it('matches resources case-sensitively with wildcards, and NotResource by exclusion', () => {
    const keys = `arn:aws:kms:ap-southeast-1:${ACCOUNT}:key/*`;
    expect(allows({ Action: '*', Resource: keys }, 'kms:Sign', KEY)).toBe(true);
    expect(allows({ Action: '*', Resource: keys.toUpperCase() }, 'kms:Sign', KEY)).toBe(false);
    expect(
      allows({ Action: '*', Resource: `arn:aws:kms:ap-southeast-1:${ACCOUNT}:alias/x/*` }, 'kms:Sign', KEY),
    ).toBe(false);
    expect(allows({ Action: '*', NotResource: keys }, 'kms:Sign', KEY)).toBe(false);
  });

  it('substitutes policy variables in resources (version 2012-10-17 only), with defaults', () => {
    const context = { 'aws:PrincipalTag/team': 'a' };
    const resource = `arn:aws:s3:::bucket/a/file`;
    expect(
      allows(
        { Action: '*', Resource: `arn:aws:s3:::bucket/${variable('aws:PrincipalTag/team')}/*` },
        's3:GetObject',
        resource,
        context,
      ),
    ).toBe(true);
    expect(
      allows(
        { Action: '*', Resource: `arn:aws:s3:::bucket/${variable('aws:PrincipalTag/team')}/*` },
        's3:GetObject',
        resource,
      ),
    ).toBe(false);
    expect(
      allows(
        { Action: '*', Resource: `arn:aws:s3:::bucket/${variable("aws:PrincipalTag/team, 'a'")}/*` },
        's3:GetObject',
        resource,
      ),
    ).toBe(true);
    const old = parsePolicy(
      {
        Version: '2008-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: `arn:aws:s3:::bucket/${variable('aws:PrincipalTag/team')}/*`,
          },
        ],
      },
      'identity',
    );
    expect(
      evaluate([old], { action: 's3:GetObject', resource, caller: other, context }).allow,
    ).toBeUndefined();
  });
});

describe('condition operators', () => {
  const when = (condition: object, context: ContextValues) =>
    allows({ Action: '*', Resource: '*', Condition: condition }, 'kms:CreateKey', '*', context);

  it('String operators, their negations and IfExists', () => {
    expect(
      when({ StringEquals: { 'kms:KeySpec': ['RSA_2048', 'RSA_3072'] } }, { 'kms:KeySpec': 'RSA_3072' }),
    ).toBe(true);
    expect(when({ StringEquals: { 'kms:KeySpec': 'RSA_2048' } }, { 'kms:keyspec': 'RSA_2048' })).toBe(true);
    expect(when({ StringEquals: { 'kms:KeySpec': 'rsa_2048' } }, { 'kms:KeySpec': 'RSA_2048' })).toBe(false);
    expect(
      when({ StringEqualsIgnoreCase: { 'kms:KeySpec': 'rsa_2048' } }, { 'kms:KeySpec': 'RSA_2048' }),
    ).toBe(true);
    expect(when({ StringNotEquals: { 'kms:KeySpec': 'RSA_2048' } }, { 'kms:KeySpec': 'RSA_2048' })).toBe(
      false,
    );
    // Negated operators hold when the key is absent; positive ones do not, unless IfExists.
    expect(when({ StringNotEquals: { 'kms:KeyOrigin': 'EXTERNAL' } }, {})).toBe(true);
    expect(when({ StringEquals: { 'kms:KeyOrigin': 'AWS_KMS' } }, {})).toBe(false);
    expect(when({ StringEqualsIfExists: { 'kms:KeyOrigin': 'AWS_KMS' } }, {})).toBe(true);
    expect(
      when({ StringEqualsIfExists: { 'kms:KeyOrigin': 'AWS_KMS' } }, { 'kms:KeyOrigin': 'EXTERNAL' }),
    ).toBe(false);
    expect(
      when(
        { StringLike: { 'kms:RequestAlias': 'alias/docflow/*/official/*' } },
        { 'kms:RequestAlias': 'alias/docflow/local/official/a' },
      ),
    ).toBe(true);
    expect(
      when(
        { StringNotLike: { 'kms:RequestAlias': 'alias/docflow/*' } },
        { 'kms:RequestAlias': 'alias/docflow/x' },
      ),
    ).toBe(false);
  });

  it('Bool, Null, Numeric, Date, Arn and IpAddress', () => {
    expect(when({ Bool: { 'kms:MultiRegion': 'false' } }, { 'kms:MultiRegion': 'false' })).toBe(true);
    expect(
      when(
        { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': true } },
        { 'kms:BypassPolicyLockoutSafetyCheck': 'TRUE' },
      ),
    ).toBe(true);
    expect(when({ BoolIfExists: { 'kms:MultiRegion': 'false' } }, {})).toBe(true);
    expect(when({ Null: { 'aws:RequestTag/docflow:holder': 'true' } }, {})).toBe(true);
    expect(when({ Null: { 'aws:RequestTag/docflow:holder': 'false' } }, {})).toBe(false);
    expect(
      when({ NumericLessThanEquals: { 'sts:DurationSeconds': '900' } }, { 'sts:DurationSeconds': '900' }),
    ).toBe(true);
    expect(
      when({ NumericGreaterThan: { 'sts:DurationSeconds': 900 } }, { 'sts:DurationSeconds': '900' }),
    ).toBe(false);
    expect(
      when(
        { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
        { 'aws:CurrentTime': '2026-12-03T10:00:00Z' },
      ),
    ).toBe(true);
    expect(
      when({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/signer-*' } }, { 'aws:PrincipalArn': ROLE }),
    ).toBe(true);
    // A wildcard matches within one ARN component only.
    expect(
      when(
        { ArnLike: { 'aws:PrincipalArn': 'arn:aws:*:role/signer-session' } },
        { 'aws:PrincipalArn': ROLE },
      ),
    ).toBe(false);
    expect(when({ ArnNotEquals: { 'aws:PrincipalArn': ROLE } }, { 'aws:PrincipalArn': ROLE })).toBe(false);
    expect(when({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, { 'aws:SourceIp': '127.0.0.1' })).toBe(
      true,
    );
    expect(when({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '127.0.0.1' })).toBe(
      true,
    );
  });

  it('ForAllValues and ForAnyValue over multivalued keys', () => {
    const only = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['docflow:stage', 'docflow:purpose'] } };
    expect(when(only, { 'aws:TagKeys': ['docflow:stage'] })).toBe(true);
    expect(when(only, { 'aws:TagKeys': ['docflow:stage', 'owner'] })).toBe(false);
    // ForAllValues holds for an absent key (nothing to check); ForAnyValue does not.
    expect(when(only, {})).toBe(true);
    const any = { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/docflow/*/tsa' } };
    expect(when(any, { 'kms:ResourceAliases': ['alias/a', 'alias/docflow/local/tsa'] })).toBe(true);
    expect(when(any, { 'kms:ResourceAliases': ['alias/a'] })).toBe(false);
    expect(when(any, {})).toBe(false);
    expect(
      when({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'secret' } }, { 'aws:TagKeys': ['a', 'b'] }),
    ).toBe(true);
  });

  it('every operator and every key of a statement must hold; any value of a key may', () => {
    const condition = {
      StringEquals: { 'kms:KeySpec': 'RSA_2048', 'kms:KeyUsage': 'SIGN_VERIFY' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['docflow:stage'] },
    };
    const context = {
      'kms:KeySpec': 'RSA_2048',
      'kms:KeyUsage': 'SIGN_VERIFY',
      'aws:TagKeys': ['docflow:stage'],
    };
    expect(when(condition, context)).toBe(true);
    expect(when(condition, { ...context, 'kms:KeyUsage': 'ENCRYPT_DECRYPT' })).toBe(false);
    expect(when(condition, { ...context, 'aws:TagKeys': ['docflow:stage', 'x'] })).toBe(false);
  });
});

describe('principals', () => {
  const resourcePolicy = (principal: unknown) =>
    parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: '*', Resource: '*' }],
      },
      'resource',
    );
  const as = (principal: unknown, caller: Caller) =>
    evaluate([resourcePolicy(principal)], request(caller, 'kms:Sign')).allow?.as;

  it('names a role (and so its sessions), a session, the account, or anyone', () => {
    expect(as({ AWS: ROLE }, session)).toBe('principal');
    expect(as({ AWS: [ROLE] }, other)).toBeUndefined();
    expect(as({ AWS: session.arn }, session)).toBe('principal');
    expect(as({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, session)).toBe('account');
    expect(as({ AWS: ACCOUNT }, session)).toBe('account');
    expect(as({ AWS: 'arn:aws:iam::111111111111:root' }, session)).toBeUndefined();
    expect(as('*', session)).toBe('principal');
    expect(as({ AWS: '*' }, session)).toBe('principal');
  });

  it('names a web identity provider in a trust policy', () => {
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/127.0.0.1:3000/api/signature-activation`;
    const trust = parsePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: provider },
            Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
            Condition: { StringEquals: { '127.0.0.1:3000/api/signature-activation:aud': 'docflow-signer' } },
          },
        ],
      },
      'trust',
    );
    const web = { arn: provider, accountId: ACCOUNT, federatedProvider: provider };
    const ask = (aud: string) =>
      evaluate([trust], {
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: ROLE,
        caller: web,
        context: { '127.0.0.1:3000/api/signature-activation:aud': aud },
      }).allow !== undefined;
    expect(ask('docflow-signer')).toBe(true);
    expect(ask('docflow-web')).toBe(false);
    expect(
      evaluate([trust], { action: 'sts:AssumeRole', resource: ROLE, caller: web, context: {} }).allow,
    ).toBeUndefined();
  });
});
