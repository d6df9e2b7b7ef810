import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions, internalFunctions, routes } from '../../lambdas/routes';
import { tsaKeySpecOf } from '../../lib/config';
import { permissions } from '../../lib/permissions';
import {
  asList,
  type CfnResource,
  configOf,
  deployedFunctions,
  environmentOf,
  functionId,
  PROD_CONTEXT,
  resources,
  roleStatements,
  type Statement,
  template,
} from './synth';

const t = template();
const ecc = template({ context: { ...PROD_CONTEXT, keySpec: 'ECC_NIST_P256', tsaKeySpec: 'ECC_NIST_P256' } });

const key = (tpl: Template, prefix: string): [string, CfnResource] => {
  const found = resources(tpl, 'AWS::KMS::Key').filter(([id]) => id.startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
const keyPolicy = (k: CfnResource) => (k.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
const roleIdOf = (tpl: Template, functionId: string) =>
  resources(tpl, 'AWS::IAM::Role').find(([id]) => id.startsWith(`${functionId}Role`))?.[0];
const aliases = (tpl: Template) => resources(tpl, 'AWS::KMS::Alias').map(([, a]) => a.Properties);

const STACK_KEYS = [
  ['SigningKeysCaRootKey', 'ca-root', 'ca'],
  ['SigningKeysCaIssuingKey', 'ca-issuing', 'issuing'],
  ['SigningKeysTsaKey', 'tsa', 'tsa'],
  ['SigningKeysTransparencyKey', 'transparency', 'transparency'],
] as const;

describe('the root CA, issuing CA, TSA and transparency-log keys', () => {
  it.each(STACK_KEYS)(
    '%s: asymmetric SIGN_VERIFY, key spec from config, aliased, tagged, kept',
    (prefix, name) => {
      const [id, k] = key(t, prefix);
      expect(k.Properties).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      expect(k.Properties.EnableKeyRotation).toBeUndefined();
      expect(k.DeletionPolicy).toBe('Retain');
      expect(k.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'docflow:stage', Value: 'dev' },
          { Key: 'docflow:purpose', Value: name },
        ]),
      );
      expect(aliases(t)).toContainEqual({
        AliasName: `alias/docflow/dev/${name}`,
        TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] },
      });
      expect(key(ecc, prefix)[1].Properties.KeySpec).toBe('ECC_NIST_P256');
      expect(aliases(ecc).map((a) => a.AliasName)).toContain(`alias/docflow/prod/${name}`);
    },
  );

  it('a new stage gets a TSA key that holds past 2030 (RSA_3072); the stages deployed keep theirs', () => {
    const fresh = template({ context: { stage: 'staging' } });
    expect(key(fresh, 'SigningKeysTsaKey')[1].Properties.KeySpec).toBe('RSA_3072');
    expect(key(fresh, 'SigningKeysCaRootKey')[1].Properties.KeySpec).toBe('RSA_2048');
    // dev and prod name their deployed TSA key's spec (cdk.json): no replacement of a live key.
    expect(key(t, 'SigningKeysTsaKey')[1].Properties.KeySpec).toBe('RSA_2048');
    expect(configOf(PROD_CONTEXT).tsaKeySpec).toBe('RSA_2048');
    // An ECC stage gets an ECC TSA key; a TSA key of another algorithm than the stage's is refused.
    expect(tsaKeySpecOf(configOf({ stage: 'staging', keySpec: 'ECC_NIST_P256' }))).toBe('ECC_NIST_P256');
    expect(() => configOf({ stage: 'staging', keySpec: 'ECC_NIST_P256', tsaKeySpec: 'RSA_3072' })).toThrow(
      /tsaKeySpec RSA_3072 signs with another algorithm/,
    );
  });

  it('the account administers them but cannot use them: no kms:Sign, no grants, no wildcards', () => {
    for (const [prefix] of STACK_KEYS) {
      const [, k] = key(t, prefix);
      const admin = keyPolicy(k).filter((s) => JSON.stringify(s.Principal).includes(':root'));
      expect(admin).toHaveLength(1);
      const actions = asList(admin[0]?.Action);
      expect(actions).toContain('kms:PutKeyPolicy');
      expect(actions).toContain('kms:ScheduleKeyDeletion');
      for (const forbidden of ['kms:Sign', 'kms:Verify', 'kms:CreateGrant', 'kms:*']) {
        expect(actions, forbidden).not.toContain(forbidden);
      }
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('only the break-glass role may disable or delete them; only it and the deployment role change their policy', () => {
    for (const [prefix] of STACK_KEYS) {
      const [, k] = key(t, prefix);
      const denies = keyPolicy(k).filter((s) => s.Effect === 'Deny');
      expect(
        denies.map((s) => [s.Sid, asList(s.Action)]),
        prefix,
      ).toEqual([
        ['OnlyBreakGlassDisablesOrDeletes', ['kms:DisableKey', 'kms:ScheduleKeyDeletion']],
        ['OnlyBreakGlassOrDeploymentChangesPolicy', ['kms:PutKeyPolicy']],
      ]);
      expect(JSON.stringify(denies[0]?.Condition)).toContain(':role/docflow-break-glass');
      expect(JSON.stringify(denies[1]?.Condition)).toContain('cfn-exec-role');
    }
  });

  it('only the roles of functions that sign with a key are named in its policy, for digests only', () => {
    for (const [prefix, , group] of STACK_KEYS) {
      const [, k] = key(t, prefix);
      const signers = keyPolicy(k).filter((s) => asList(s.Action).includes('kms:Sign'));
      const expected = Object.entries(permissions)
        .filter(([name]) => name in deployedFunctions)
        .filter(([, p]) => ('signWith' in p ? (p.signWith as readonly string[]) : []).includes(group))
        .map(([name]) => roleIdOf(t, `${name[0]?.toUpperCase()}${name.slice(1)}Function`));
      expect(
        signers.map((s) => (s.Principal as { AWS: { 'Fn::GetAtt': [string] } }).AWS['Fn::GetAtt'][0]).sort(),
      ).toEqual(expected.sort());
      for (const s of signers) {
        expect(asList(s.Action)).toEqual(['kms:Sign']);
        expect(s.Condition?.StringEquals).toEqual({
          'kms:MessageType': 'DIGEST',
          'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256',
        });
      }
    }
  });

  it('pins ECDSA_SHA_256 for an ECC key spec, in key policies and role policies alike', () => {
    const [, ca] = key(ecc, 'SigningKeysCaRootKey');
    const signers = keyPolicy(ca).filter((s) => asList(s.Action).includes('kms:Sign'));
    expect(signers.length).toBeGreaterThan(0);
    for (const s of signers)
      expect(s.Condition?.StringEquals?.['kms:SigningAlgorithm']).toBe('ECDSA_SHA_256');
    const sign = roleStatements(ecc, 'SigningFunction').filter((s) => asList(s.Action).includes('kms:Sign'));
    for (const s of sign) expect(s.Condition?.StringEquals?.['kms:SigningAlgorithm']).toBe('ECDSA_SHA_256');
  });
});

describe('run-time seal and official keys (attribute-based access)', () => {
  const provisioner = Object.entries(permissions).find(
    ([, p]) => 'provisionKeys' in p && p.provisionKeys,
  )?.[0];
  const provisionerId = `${provisioner?.[0]?.toUpperCase()}${provisioner?.slice(1)}Function`;
  const statements = () => roleStatements(t, provisionerId);
  const bySid = (sid: string) => statements().find((s) => s.Sid === sid);

  it('a provisioning function exists in the map', () => {
    expect(provisioner && provisioner in deployedFunctions).toBe(true);
  });

  it('CreateKey only for SIGN_VERIFY keys of the configured spec, tagged for this stage as seal or official', () => {
    const create = bySid('CreateSigningKeys');
    expect(create?.Effect).toBe('Allow');
    expect(create?.Condition?.StringEquals).toEqual({
      'kms:KeySpec': 'RSA_2048',
      'kms:KeyUsage': 'SIGN_VERIFY',
      'aws:RequestTag/docflow:stage': 'dev',
      'aws:RequestTag/docflow:purpose': ['seal', 'official'],
    });
    expect(create?.Condition?.StringEqualsIfExists).toEqual({ 'kms:KeyOrigin': 'AWS_KMS' });
    expect(create?.Condition?.BoolIfExists).toEqual({ 'kms:MultiRegion': 'false' });
    expect(create?.Condition?.['ForAllValues:StringEquals']).toEqual({
      'aws:TagKeys': ['docflow:stage', 'docflow:purpose', 'docflow:owner', 'docflow:holder'],
    });
    expect(bySid('NoLockoutBypass')).toMatchObject({
      Effect: 'Deny',
      Action: 'kms:CreateKey',
      Condition: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
    });
  });

  it('TagResource only with this stage’s tags; aliases only under alias/docflow/<stage>/{seal,official}/', () => {
    expect(bySid('TagNewSigningKeys')?.Condition?.StringEquals).toMatchObject({
      'aws:RequestTag/docflow:stage': 'dev',
    });
    expect(asList(bySid('AliasNewSigningKeys')?.Resource).sort()).toEqual([
      'arn:aws:kms:ap-southeast-1:111111111111:alias/docflow/dev/official/*',
      'arn:aws:kms:ap-southeast-1:111111111111:alias/docflow/dev/seal/*',
    ]);
    const keySide = bySid('UseOwnSigningKeysForAliasesAndCsrs');
    expect(keySide?.Condition?.StringEquals).toEqual({
      'aws:ResourceTag/docflow:stage': 'dev',
      'aws:ResourceTag/docflow:purpose': ['seal', 'official'],
    });
    // Every alias action anywhere stays under the stage's prefix or on tagged keys.
    for (const s of statements().filter((s) => asList(s.Action).includes('kms:CreateAlias'))) {
      for (const r of asList(s.Resource)) {
        expect(String(r)).toMatch(/alias\/docflow\/dev\/(seal|official)\/\*$|:key\/\*$/);
        if (String(r).endsWith(':key/*'))
          expect(s.Condition?.StringEquals?.['aws:ResourceTag/docflow:stage']).toBe('dev');
      }
    }
  });

  it('the provisioner is told whom a new key’s policy names: the signer session role signs, roles read public keys', () => {
    const principals = JSON.stringify(environmentOf(t, provisionerId).DOCFLOW_RUN_TIME_KEY_PRINCIPALS);
    // {"Fn::Join":["",["{\"account\":\"arn:", {"Ref":"AWS::Partition"}, …]]}
    expect(principals).toContain('RSASSA_PKCS1_V1_5_SHA_256');
    expect(principals).toContain(':root');
    expect(principals).toContain(':role/docflow-dev-signer-session');
    const readers = principals.slice(principals.indexOf('readPublicKey'), principals.indexOf('provisioner'));
    // Fixed role names, not the roles' generated ARNs: a replaced role is still the one the policies name.
    expect(readers).toContain(':role/docflow-dev-signing');
    expect(readers).toContain(':role/docflow-dev-certificate-authority');
    expect(readers).not.toContain('GetAtt');
    for (const [fn, name] of [
      ['SigningFunction', 'docflow-dev-signing'],
      [provisionerId, 'docflow-dev-certificate-authority'],
    ] as const) {
      const role = resources(t, 'AWS::IAM::Role').find(([id]) => id === roleIdOf(t, fn))?.[1];
      expect(role?.Properties.RoleName, fn).toBe(name);
    }
    expect(principals).toContain(':role/docflow-break-glass');
    for (const other of ['documents', 'pki', 'audit', 'directory', 'inbox', 'system', 'signer"']) {
      expect(readers, other).not.toContain(`:role/docflow-dev-${other}`);
    }
  });

  it('no function role may sign with a seal or official key; the signer session role only with its holder’s', () => {
    for (const name of Object.keys(deployedFunctions)) {
      for (const s of roleStatements(t, functionId(name)).filter((s) => s.Effect === 'Allow')) {
        if (!asList(s.Action).includes('kms:Sign')) continue;
        expect(
          asList(s.Resource).some((r) => String(r).endsWith(':key/*')),
          name,
        ).toBe(false);
      }
    }
    const session = Object.values(t.findResources('AWS::IAM::Role')).find((r) =>
      String((r as { Properties?: { RoleName?: unknown } }).Properties?.RoleName).includes('signer-session'),
    ) as {
      Properties: { AssumeRolePolicyDocument: { Statement: { Action: unknown; Principal: unknown }[] } };
    };
    expect(session.Properties.AssumeRolePolicyDocument.Statement[0]?.Action).toEqual([
      'sts:AssumeRoleWithWebIdentity',
      'sts:TagSession',
    ]);
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('SignerSessionRole'),
    );
    const statements = policies.flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Condition?: unknown }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'kms:Sign',
        Condition: {
          StringEquals: {
            'kms:MessageType': 'DIGEST',
            'kms:SigningAlgorithm': 'RSASSA_PKCS1_V1_5_SHA_256',
            'aws:ResourceTag/docflow:stage': 'dev',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template
            'aws:ResourceTag/docflow:holder': '${aws:PrincipalTag/docflow:holder}',
          },
        },
      }),
    ]);
  });

  it('keys created for another stage or purpose are out of reach: every key/* grant carries tag conditions', () => {
    for (const name of Object.keys(deployedFunctions)) {
      const id = functionId(name);
      for (const s of roleStatements(t, id).filter((s) => s.Effect === 'Allow')) {
        if (!asList(s.Resource).some((r) => String(r).endsWith(':key/*'))) continue;
        const tags = s.Condition?.StringEquals ?? {};
        const scopedByResource = tags['aws:ResourceTag/docflow:stage'] === 'dev';
        const scopedByRequest = tags['aws:RequestTag/docflow:stage'] === 'dev';
        expect(scopedByResource || scopedByRequest, `${name}: ${JSON.stringify(s.Action)}`).toBe(true);
      }
    }
  });

  it('administration stays apart from use for the stack keys: no function may change a key policy', () => {
    for (const name of Object.keys(deployedFunctions)) {
      const id = functionId(name);
      const actions = roleStatements(t, id).flatMap((s) => asList(s.Action));
      for (const forbidden of [
        'kms:PutKeyPolicy',
        'kms:CreateGrant',
        'kms:ScheduleKeyDeletion',
        'kms:UntagResource',
      ]) {
        expect(actions, `${name} ${forbidden}`).not.toContain(forbidden);
      }
    }
  });
});

describe('signing grants are per function and per key group', () => {
  // A hypothetical split: a timestamp-only signer and a pure provisioner, next to today's functions.
  const split = template({
    catalogue: {
      functions: {
        ...functions,
        stamper: { entry: 'lambdas/handlers/system.ts', description: 'timestamps' },
        keymaker: { entry: 'lambdas/handlers/system.ts', description: 'provisioning' },
      },
      routes,
      internalFunctions,
      permissions: { ...permissions, stamper: { signWith: ['tsa'] }, keymaker: { provisionKeys: true } },
    },
  });

  it('the TSA key names the stamper; the CA key does not', () => {
    const stamper = roleIdOf(split, 'StamperFunction');
    const named = (prefix: string) =>
      keyPolicy(key(split, prefix)[1]).some((s) => JSON.stringify(s.Principal).includes(`"${stamper}"`));
    expect(named('SigningKeysTsaKey')).toBe(true);
    expect(named('SigningKeysCaRootKey')).toBe(false);
  });

  it('the provisioner creates keys but cannot sign with any', () => {
    const actions = roleStatements(split, 'KeymakerFunction').flatMap((s) => asList(s.Action));
    expect(actions).toContain('kms:CreateKey');
    expect(actions).not.toContain('kms:Sign');
    for (const prefix of ['SigningKeysTsaKey', 'SigningKeysCaRootKey']) {
      const keymaker = roleIdOf(split, 'KeymakerFunction');
      expect(JSON.stringify(keyPolicy(key(split, prefix)[1]))).not.toContain(`"${keymaker}"`);
    }
  });
});
