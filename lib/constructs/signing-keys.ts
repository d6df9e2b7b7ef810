import { ArnFormat, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { AccountRootPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KEY_ADMINISTRATION_ACTIONS, KEY_TAGS } from '../../lambdas/deployment/key-policy';
import { type KeySpec as KeySpecName, signingAlgorithm } from '../config';
import { type KeyGuard, protectKey } from '../key-protection';
import { resourceFinding } from '../nag';
import type { SigningKeyGroup } from '../permissions';
import type { DocflowFunction } from './docflow-function';

export { KEY_TAGS };

/** `docflow:purpose` tag value of each group's keys. */
export const KEY_PURPOSE = {
  ca: 'ca-root',
  issuing: 'ca-issuing',
  tsa: 'tsa',
  transparency: 'transparency',
  activation: 'signature-activation',
  seal: 'seal',
  official: 'official',
} as const satisfies Record<SigningKeyGroup, string>;

/** Keys the provisioning function creates at run time: one per organisation seal, one per official. */
const RUN_TIME_GROUPS = ['seal', 'official'] as const satisfies readonly SigningKeyGroup[];
type RunTimeGroup = (typeof RUN_TIME_GROUPS)[number];
const isRunTime = (group: SigningKeyGroup): group is RunTimeGroup =>
  (RUN_TIME_GROUPS as readonly SigningKeyGroup[]).includes(group);

export interface SigningKeysProps {
  readonly stage: string;
  readonly keySpec: KeySpecName;
  /** The TSA key's spec (lib/config.ts tsaKeySpecOf); same signing algorithm as keySpec. */
  readonly tsaKeySpec?: KeySpecName;
  /**
   * The break-glass role: alone may disable or delete the stack's signing keys, and with the deployment role
   * change their policies (lib/key-protection.ts). Without it a deployer could re-police the root CA key
   * and sign certificates with it.
   */
  readonly guard?: KeyGuard;
}

/**
 * The signing keys: the city root CA, TSA and transparency-log keys created here (under the aliases the
 * handlers look up, so they never create them), and the rules for the organisation seal and per-official
 * keys that the provisioning function creates at run time. Every kms:Sign permission is for digests only
 * (MessageType DIGEST) with the one algorithm of the configured key spec.
 */
export class SigningKeys extends Construct {
  /** The city root CA: signs the issuing CA's certificates and the root CRL, nothing else. */
  readonly ca: Key;
  /** The issuing CA: certifies officials, seals, the TSA and the transparency log; signs their CRL. */
  readonly issuing: Key;
  readonly tsa: Key;
  readonly transparency: Key;
  /** Signs signature activation data (docs/SECURITY.md): P-256 whatever the documents' key spec. */
  readonly activation: Key;
  /** `alias/docflow/<stage>/`: every alias of this stage's keys starts with it. */
  readonly aliasPrefix: string;
  readonly signingAlgorithm: string;
  private readonly stage: string;
  private readonly keySpec: KeySpecName;
  private readonly guard: KeyGuard | undefined;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    this.stage = props.stage;
    this.keySpec = props.keySpec;
    this.guard = props.guard;
    this.aliasPrefix = `alias/docflow/${props.stage}/`;
    this.signingAlgorithm = signingAlgorithm(props.keySpec);
    this.ca = this.stackKey('CaRootKey', 'ca', 'ca-root', 'city root CA: issuing CA certificates, root CRL');
    this.issuing = this.stackKey(
      'CaIssuingKey',
      'issuing',
      'ca-issuing',
      'city issuing CA: officials, seals, TSA certificates and their CRL',
    );
    this.tsa = this.stackKey(
      'TsaKey',
      'tsa',
      'tsa',
      'time-stamping authority: RFC 3161 tokens',
      props.tsaKeySpec ?? props.keySpec,
    );
    this.transparency = this.stackKey(
      'TransparencyKey',
      'transparency',
      'transparency',
      'transparency log: signed tree heads and evidence manifests',
    );
    this.activation = this.stackKey(
      'SignatureActivationKey',
      'activation',
      'signature-activation',
      'signature activation data: signers authorizations for the signer function and STS',
      'ECC_NIST_P256',
    );
  }

  /**
   * Lets one function sign digests with one group of keys. For the stack's keys the key policy names the
   * function's role (the only way kms:Sign can be granted on them). Run-time keys get the same kind of
   * policy from the function that creates them (lambdas/deployment/key-policy.ts, told the roles by
   * ResourceAccess.grantRunTimeKeyUse); the role's policy also matches them by tag.
   */
  grantSign(fn: DocflowFunction, group: SigningKeyGroup): Record<string, string> {
    // The activation key is P-256 whatever the documents' key spec (JWS ES256).
    const algorithm = group === 'activation' ? 'ECDSA_SHA_256' : this.signingAlgorithm;
    const digestsOnly = { 'kms:MessageType': 'DIGEST', 'kms:SigningAlgorithm': algorithm };
    const key = this.stackKeyOf(group);
    if (key) {
      key.addToResourcePolicy(
        new PolicyStatement({
          sid: `Sign${fn.node.id.replace(/[^A-Za-z0-9]/g, '')}`,
          principals: [fn.role],
          actions: ['kms:Sign'],
          resources: ['*'],
          conditions: { StringEquals: digestsOnly },
        }),
      );
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Sign'],
          resources: [key.keyArn],
          conditions: { StringEquals: digestsOnly },
        }),
      );
    } else {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Sign'],
          resources: [this.keyArns()],
          conditions: { StringEquals: { ...this.runTimeKeyConditions([group]), ...digestsOnly } },
        }),
      );
      this.allowRunTimeKeys(fn);
    }
    return this.grantPublicKey(fn, group);
  }

  /** Lets a function read one group's public keys (to certify or check them), never sign with them. */
  grantPublicKey(fn: DocflowFunction, group: SigningKeyGroup): Record<string, string> {
    const actions = ['kms:DescribeKey', 'kms:GetPublicKey'];
    const key = this.stackKeyOf(group);
    if (key) {
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [key.keyArn] }));
      return { [`DOCFLOW_${group.toUpperCase()}_KEY_ARN`]: key.keyArn };
    }
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.keyArns()],
        conditions: { StringEquals: this.runTimeKeyConditions([group]) },
      }),
    );
    this.allowRunTimeKeys(fn);
    return { DOCFLOW_KEY_ALIAS_PREFIX: this.aliasPrefix };
  }

  /**
   * Lets the provisioning function create this stage's seal and official keys, with the configured spec,
   * tagged for this stage, and give them aliases under `alias/docflow/<stage>/{seal,official}/`. It can
   * neither sign with them nor touch the stack's CA and TSA keys (their purpose tags differ).
   */
  grantProvisioning(fn: DocflowFunction): Record<string, string> {
    const purposes = RUN_TIME_GROUPS.map((group) => KEY_PURPOSE[group]);
    const requestTags = {
      [`aws:RequestTag/${KEY_TAGS.stage}`]: this.stage,
      [`aws:RequestTag/${KEY_TAGS.purpose}`]: purposes,
    };
    const onlyDocflowTags = { 'aws:TagKeys': Object.values(KEY_TAGS) };
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'CreateSigningKeys',
        actions: ['kms:CreateKey'],
        // CreateKey has no resource to scope: the request conditions do the scoping.
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:KeySpec': this.keySpec, 'kms:KeyUsage': 'SIGN_VERIFY', ...requestTags },
          // Key material made by KMS, in this region only (a multi-Region key could be replicated out).
          // IfExists: a request that leaves them out gets the defaults, AWS_KMS and single-Region.
          StringEqualsIfExists: { 'kms:KeyOrigin': 'AWS_KMS' },
          BoolIfExists: { 'kms:MultiRegion': 'false' },
          'ForAllValues:StringEquals': onlyDocflowTags,
        },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'NoLockoutBypass',
        effect: Effect.DENY,
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: { Bool: { 'kms:BypassPolicyLockoutSafetyCheck': 'true' } },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'TagNewSigningKeys',
        actions: ['kms:TagResource'],
        // KMS checks the tags of CreateKey against a TagResource permission that covers every key.
        resources: [this.keyArns()],
        conditions: { StringEquals: requestTags, 'ForAllValues:StringEquals': onlyDocflowTags },
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AliasNewSigningKeys',
        actions: ['kms:CreateAlias'],
        resources: RUN_TIME_GROUPS.map((group) => this.aliasArns(group)),
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'UseOwnSigningKeysForAliasesAndCsrs',
        actions: ['kms:CreateAlias', 'kms:DescribeKey', 'kms:GetPublicKey'],
        resources: [this.keyArns()],
        conditions: { StringEquals: this.runTimeKeyConditions(RUN_TIME_GROUPS) },
      }),
    );
    fn.allowWildcard(
      'Resource::*',
      'kms:CreateKey has no resource; kms:KeySpec/KeyUsage/RequestTag scope it',
    );
    fn.allowWildcard(
      this.keyArnsFinding(),
      'tagging at CreateKey needs TagResource on every key (RequestTag-scoped); aliases and public keys only of keys tagged for this stage',
    );
    for (const group of RUN_TIME_GROUPS) {
      fn.allowWildcard(
        resourceFinding(this, this.aliasArns(group)),
        `aliases of run-time ${group} keys, under ${this.aliasPrefix}${group}/ only`,
      );
    }
    return { DOCFLOW_KEY_ALIAS_PREFIX: this.aliasPrefix, DOCFLOW_SIGNING_KEY_SPEC: this.keySpec };
  }

  /** kms:ListAliases is account-wide; it reveals alias names, never keys or their use. */
  grantListAliases(fn: DocflowFunction): void {
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:ListAliases'], resources: ['*'] }));
    fn.allowWildcard('Resource::*', 'kms:ListAliases is account-wide and has no resource-level scoping');
  }

  private stackKeyOf(group: SigningKeyGroup): Key | undefined {
    return {
      ca: this.ca,
      issuing: this.issuing,
      tsa: this.tsa,
      transparency: this.transparency,
      activation: this.activation,
      seal: undefined,
      official: undefined,
    }[group];
  }

  private allowRunTimeKeys(fn: DocflowFunction): void {
    fn.allowWildcard(
      this.keyArnsFinding(),
      'run-time seal/official keys are unknown at deploy time: aws:ResourceTag conditions (stage, purpose) select them',
    );
  }

  private stackKey(
    id: string,
    group: SigningKeyGroup,
    alias: string,
    purpose: string,
    keySpec: KeySpecName = this.keySpec,
  ): Key {
    const key = new Key(this, id, {
      description: `docflow ${this.stage}: ${purpose}`,
      keySpec: KeySpec[keySpec],
      keyUsage: KeyUsage.SIGN_VERIFY,
      // Replaces KMS's default policy, which would delegate every action (kms:Sign included) to IAM.
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'KeyAdministrationButNotUse',
            principals: [new AccountRootPrincipal()],
            actions: [...KEY_ADMINISTRATION_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
      alias: `${this.aliasPrefix}${alias}`,
      // The CA key is the city's trust anchor: certificates it signed stay verifiable after a teardown.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Tags.of(key).add(KEY_TAGS.stage, this.stage);
    Tags.of(key).add(KEY_TAGS.purpose, KEY_PURPOSE[group]);
    if (this.guard) protectKey(key, this.guard);
    return key;
  }

  private runTimeKeyConditions(groups: readonly RunTimeGroup[] | readonly SigningKeyGroup[]) {
    const purposes = groups.filter(isRunTime).map((group) => KEY_PURPOSE[group]);
    return {
      [`aws:ResourceTag/${KEY_TAGS.stage}`]: this.stage,
      [`aws:ResourceTag/${KEY_TAGS.purpose}`]: purposes,
    };
  }

  /** Every key of this account and region: only ever granted with tag conditions. */
  private keyArns(): string {
    return Stack.of(this).formatArn({
      service: 'kms',
      resource: 'key',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  private aliasArns(group: RunTimeGroup): string {
    return Stack.of(this).formatArn({
      service: 'kms',
      resource: 'alias',
      resourceName: `docflow/${this.stage}/${group}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  private keyArnsFinding(): string {
    return resourceFinding(this, this.keyArns());
  }
}
