import * as z from 'zod';

/*
 * Key policies, shared by the CDK stack (CA, TSA and transparency keys) and the certificate authority (seal
 * and official keys it creates at run time), so that both kinds of key follow one rule: the account may
 * administer a signing key but not use it, and only named function roles may sign, digests only, with the
 * stage's one algorithm.
 */

/**
 * What the account (IAM policies of its administrators, CloudFormation) may do with a signing key:
 * everything to administer it, nothing to use it. kms:Sign is absent, so no IAM policy can grant it: only a
 * key-policy statement naming a role can. kms:CreateGrant is absent too, because a grant would hand kms:Sign
 * to anyone. kms:PutKeyPolicy is allowed to the account (KMS refuses a policy that would lock its
 * administrators out) but denied by a later statement to all but the break-glass role and the key's creator
 * (runTimeKeyPolicy; lib/key-protection.ts for the stack's keys); EventBridge alarms on every attempt.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:GetPublicKey',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** Actions that make a key's data or signatures unusable: only the break-glass role may take them. */
export const KEY_DESTRUCTION_ACTIONS = ['kms:DisableKey', 'kms:ScheduleKeyDeletion'] as const;
/** The action that could remove the protecting statements. */
export const KEY_POLICY_CHANGE_ACTIONS = ['kms:PutKeyPolicy'] as const;

/** Tags on every docflow signing key; `docflow:holder` on seal and official keys names whose key it is. */
export const KEY_TAGS = {
  stage: 'docflow:stage',
  purpose: 'docflow:purpose',
  owner: 'docflow:owner',
  holder: 'docflow:holder',
} as const;

/** Who may do what with the keys made at run time; the stack passes it to the authority (env). */
export const RunTimeKeyPrincipalsSchema = z.object({
  /** `arn:<partition>:iam::<account>:root`: the account, for administration only. */
  account: z.string().min(1),
  /** The one KMS signing algorithm of the stage's key spec, e.g. RSASSA_PKCS1_V1_5_SHA_256. */
  signingAlgorithm: z.string().min(1),
  /**
   * The signer session role (a fixed name): its STS sessions, tagged with a holder by the holder's own
   * activation data, are the only principals that may sign (docs/SECURITY.md).
   */
  signerSessionRole: z.string().min(1),
  /**
   * Role ARNs (fixed names, functionRoleName) that read public keys (the authority, to certify them;
   * `signing`, to check certificates). Named in `aws:PrincipalArn` conditions under the account principal,
   * never as principals: KMS turns a principal into the role's unique id, and a replaced role is a new id.
   */
  readPublicKey: z.record(z.enum(['seal', 'official']), z.array(z.string().min(1))),
  /**
   * The role that creates the keys (fixed name). It keeps kms:PutKeyPolicy in the key policy only because
   * KMS's lockout safety check asks for it at CreateKey; its IAM policy grants no PutKeyPolicy.
   */
  provisioner: z.string().min(1),
  /** The break-glass role: alone may disable, schedule the deletion of, or re-police the keys. */
  breakGlassRole: z.string().min(1),
});
export type RunTimeKeyPrincipals = z.infer<typeof RunTimeKeyPrincipalsSchema>;

export interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal: { readonly AWS: string | readonly string[] };
  readonly Action: string | readonly string[];
  readonly Resource: '*';
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

const HOLDER_MATCHES = { [`aws:ResourceTag/${KEY_TAGS.holder}`]: `\${aws:PrincipalTag/${KEY_TAGS.holder}}` };

/**
 * The policy of a seal or official key: administration by the account; kms:Sign only by a signer session
 * whose holder tag is this key's, on digests, with the stage's one algorithm; denied to everyone else, so no
 * IAM policy can grant it. `aws:PrincipalArn` names the session role, which survives its replacement.
 */
export function runTimeKeyPolicy(
  principals: RunTimeKeyPrincipals,
  group: 'seal' | 'official',
): { Version: '2012-10-17'; Statement: KeyPolicyStatement[] } {
  const digests = { 'kms:MessageType': 'DIGEST', 'kms:SigningAlgorithm': principals.signingAlgorithm };
  const statements: KeyPolicyStatement[] = [
    {
      Sid: 'KeyAdministrationButNotUse',
      Effect: 'Allow',
      Principal: { AWS: principals.account },
      Action: [...KEY_ADMINISTRATION_ACTIONS],
      Resource: '*',
    },
    {
      Sid: 'SignAsTheHolderOnly',
      Effect: 'Allow',
      Principal: { AWS: principals.account },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: {
        StringEquals: { ...digests, 'aws:PrincipalArn': principals.signerSessionRole, ...HOLDER_MATCHES },
      },
    },
    {
      Sid: 'NoOneElseSigns',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': principals.signerSessionRole } },
    },
    {
      Sid: 'NoOtherHolderSigns',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { StringNotEquals: HOLDER_MATCHES },
    },
  ];
  const readers = principals.readPublicKey[group] ?? [];
  if (readers.length > 0) {
    statements.push({
      Sid: 'ReadPublicKey',
      Effect: 'Allow',
      Principal: { AWS: principals.account },
      Action: ['kms:DescribeKey', 'kms:GetPublicKey'],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': [...new Set(readers)] } },
    });
  }
  // As the stack's long-lived keys (lib/key-protection.ts): a disabled or deleted personal key makes every
  // signature it made unverifiable against KMS, and a changed policy could hand kms:Sign to anyone.
  statements.push(
    {
      Sid: 'OnlyBreakGlassDisablesOrDeletes',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...KEY_DESTRUCTION_ACTIONS],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [principals.breakGlassRole] } },
    },
    {
      Sid: 'OnlyBreakGlassOrProvisionerChangesPolicy',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: [...KEY_POLICY_CHANGE_ACTIONS],
      Resource: '*',
      Condition: {
        ArnNotLike: { 'aws:PrincipalArn': [principals.breakGlassRole, principals.provisioner] },
      },
    },
  );
  return { Version: '2012-10-17', Statement: statements };
}

/** The fixed name of the signer session role: key policies name it, and must survive its replacement. */
export const signerSessionRoleName = (stage: string) => `docflow-${stage}-signer-session`;

/**
 * The fixed role name of a function that run-time key policies name (`docflow-<stage>-<function>`): a
 * stack re-created, a function split or renamed gets a role of the same name, which the policies still
 * match (and `npm run keys:update-policies` adds a new one to every existing key).
 */
export const functionRoleName = (stage: string, fn: string) =>
  `docflow-${stage}-${fn.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`.slice(0, 64);

/** The run-time key principals of a stage, from names alone: the stack and the operator command agree. */
export function runTimeKeyPrincipalsFor(args: {
  readonly partition: string;
  readonly accountId: string;
  readonly stage: string;
  readonly signingAlgorithm: string;
  readonly breakGlassRoleName: string;
  /** Functions that read each group's public keys. */
  readonly readers: Readonly<Record<'seal' | 'official', readonly string[]>>;
  /** The function that creates the keys. */
  readonly provisioner: string;
}): RunTimeKeyPrincipals {
  const role = (name: string) => `arn:${args.partition}:iam::${args.accountId}:role/${name}`;
  const fnRole = (fn: string) => role(functionRoleName(args.stage, fn));
  return {
    account: `arn:${args.partition}:iam::${args.accountId}:root`,
    signingAlgorithm: args.signingAlgorithm,
    signerSessionRole: role(signerSessionRoleName(args.stage)),
    // Sorted: the stack and the operator command list the same readers in the same order.
    readPublicKey: {
      seal: [...args.readers.seal].sort().map(fnRole),
      official: [...args.readers.official].sort().map(fnRole),
    },
    provisioner: fnRole(args.provisioner),
    breakGlassRole: role(args.breakGlassRoleName),
  };
}

/** The principals the stack gave this function, or undefined where keys get the emulator's default (laptop). */
export function runTimeKeyPrincipals(): RunTimeKeyPrincipals | undefined {
  const raw = process.env.DOCFLOW_RUN_TIME_KEY_PRINCIPALS;
  return raw ? RunTimeKeyPrincipalsSchema.parse(JSON.parse(raw)) : undefined;
}
