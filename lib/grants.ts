import { Aws, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type RunTimeKeyPrincipals, runTimeKeyPrincipalsFor } from '../lambdas/deployment/key-policy';
import { type BucketName, buckets, type TableName, tables } from '../lambdas/deployment/resources';
import type { DocflowFunction } from './constructs/docflow-function';
import type { SigningKeys } from './constructs/signing-keys';
import { resourceFinding } from './nag';
import type { BucketAccess, FunctionPermissions, TableAccess } from './permissions';

/*
 * Turns a function's line in lib/permissions.ts into IAM statements with explicit actions (no wildcards in
 * any action) on the named resources only, plus the environment variables that tell the handler the names
 * of exactly those resources. A function cannot find a table it may not use.
 */

const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  put: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
  write: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
  describe: ['dynamodb:DescribeTable'],
};

const BUCKET_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  write: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
  list: ['s3:ListBucket'],
};

/**
 * What using a data key (the tables' and buckets' key, or the archive's) through DynamoDB and S3 takes.
 * Reading decrypts; writing also generates data keys (S3, and DynamoDB's table key) and encrypts.
 * kms:ViaService keeps the key usable only through those services, never directly.
 */
const DATA_KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;

export interface ResourceAccessProps {
  readonly tables: Readonly<Record<TableName, ITableV2>>;
  readonly buckets: Readonly<Record<BucketName, IBucket>>;
  /** The key every table is encrypted with. */
  readonly tableKey: IKey;
  /** The key of each bucket. */
  readonly bucketKeys: Readonly<Record<BucketName, IKey>>;
  readonly signingKeys: SigningKeys;
  /** The key webhook signing secrets are sealed with (KMS Encrypt/Decrypt, directly). */
  readonly webhookKey: IKey;
  readonly stage: string;
  /** The break-glass role's name (stage settings): run-time key policies keep destruction for it. */
  readonly breakGlassRoleName: string;
}

/** A data key's use by one function: the actions and the services through which it may take them. */
interface KeyUse {
  readonly key: IKey;
  readonly actions: Set<string>;
  readonly services: Set<string>;
}

export class ResourceAccess {
  constructor(private readonly resources: ResourceAccessProps) {}

  /**
   * Grants a function what its permission entry lists, and nothing when it has none. `deployed` holds the
   * functions made so far, among them any it may invoke.
   */
  grant(
    fn: DocflowFunction,
    permissions: FunctionPermissions | undefined,
    deployed: Readonly<Record<string, DocflowFunction>> = {},
  ): void {
    if (!permissions) return;
    const environment: Record<string, string> = {};
    const keyUses = new Map<IKey, KeyUse>();
    const addKeyUse = (key: IKey, service: string, actions: readonly string[]) => {
      const use = keyUses.get(key) ?? { key, actions: new Set<string>(), services: new Set<string>() };
      use.services.add(service);
      for (const action of actions) use.actions.add(action);
      keyUses.set(key, use);
    };

    for (const [name, access] of Object.entries(permissions.tables ?? {}) as [TableName, TableAccess[]][]) {
      const table = this.resources.tables[name];
      const actions = unique(access.flatMap((a) => TABLE_ACTIONS[a]));
      const resources = [table.tableArn];
      // Query on a secondary index is authorized on the index ARN.
      if (access.includes('read') && tables[name].globalIndexes.length > 0) {
        resources.push(`${table.tableArn}/index/*`);
        fn.allowWildcard(
          resourceFinding(fn, `${table.tableArn}/index/*`),
          `Query on the ${name} table's own secondary indexes`,
        );
      }
      fn.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
      const itemAccess = access.filter((a) => a !== 'describe');
      if (itemAccess.length > 0) {
        addKeyUse(
          this.resources.tableKey,
          'dynamodb',
          DATA_KEY_ACTIONS[itemAccess.some((a) => a !== 'read') ? 'write' : 'read'],
        );
      }
      environment[tables[name].env] = table.tableName;
    }

    for (const [name, access] of Object.entries(permissions.buckets ?? {}) as [
      BucketName,
      BucketAccess[],
    ][]) {
      const bucket = this.resources.buckets[name];
      const objectActions = unique(access.filter((a) => a !== 'list').flatMap((a) => BUCKET_ACTIONS[a]));
      if (objectActions.length > 0) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }),
        );
        fn.allowWildcard(
          resourceFinding(fn, bucket.arnForObjects('*')),
          `objects of the ${name} bucket, which holds nothing but ${name} objects`,
        );
        addKeyUse(
          this.resources.bucketKeys[name],
          's3',
          access.includes('write') ? DATA_KEY_ACTIONS.write : DATA_KEY_ACTIONS.read,
        );
      }
      if (access.includes('list')) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: [...BUCKET_ACTIONS.list], resources: [bucket.bucketArn] }),
        );
      }
      environment[buckets[name].env] = bucket.bucketName;
    }

    const region = Stack.of(fn).region;
    for (const use of keyUses.values()) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...use.actions].sort(),
          resources: [use.key.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': [...use.services]
                .sort()
                .map((service) => `${service}.${region}.amazonaws.com`),
            },
          },
        }),
      );
    }

    const keys = this.resources.signingKeys;
    for (const group of permissions.signWith ?? []) Object.assign(environment, keys.grantSign(fn, group));
    for (const group of permissions.publicKeysOf ?? []) {
      Object.assign(environment, keys.grantPublicKey(fn, group));
    }
    if (permissions.provisionKeys) Object.assign(environment, keys.grantProvisioning(fn));
    if (permissions.listKeyAliases) keys.grantListAliases(fn);
    if (permissions.webhookSecrets) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [permissions.webhookSecrets === 'seal' ? 'kms:Encrypt' : 'kms:Decrypt'],
          resources: [this.resources.webhookKey.keyArn],
          conditions: {
            'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['orgId', 'secretId', 'webhookId'] },
            Null: { 'kms:EncryptionContextKeys': 'false' },
          },
        }),
      );
      environment.DOCFLOW_WEBHOOK_KEY_ID = this.resources.webhookKey.keyArn;
    }
    if (permissions.lookupKeyEvents) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['cloudtrail:LookupEvents'], resources: ['*'] }),
      );
      fn.allowWildcard(
        'Resource::*',
        'cloudtrail:LookupEvents is account-wide and has no resource-level scoping',
      );
    }
    for (const name of permissions.invoke ?? []) {
      const target = deployed[name];
      if (!target) throw new Error(`${fn.node.id} may invoke ${name}, which is not deployed (yet)`);
      // The function itself, not `:*` (its versions and aliases), which grantInvoke would add.
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.handler.functionArn] }),
      );
      environment[`DOCFLOW_${constantCase(name)}_FUNCTION`] = target.handler.functionName;
    }
    fn.addEnvironment(environment);
  }

  /**
   * Tells the functions that create seal and official keys whom the keys' policy must name: the roles that
   * sign with them and the roles that read their public keys (lambdas/deployment/key-policy.ts). The stack's
   * own keys get the same rule through their policies here, at deploy time.
   */
  grantRunTimeKeyUse(
    deployed: Readonly<Record<string, DocflowFunction>>,
    permissions: Readonly<Record<string, FunctionPermissions>>,
  ): void {
    const functionsWith = (group: 'seal' | 'official') =>
      Object.keys(deployed).filter((name) => permissions[name]?.publicKeysOf?.includes(group));
    const provisioner = Object.keys(deployed).find((name) => permissions[name]?.provisionKeys);
    if (!provisioner) return;
    // Role names, not the roles' ARNs: the roles these name have fixed names (functionRoleName), so a
    // replaced role is still the one the keys' policies name.
    const principals: RunTimeKeyPrincipals = runTimeKeyPrincipalsFor({
      partition: Aws.PARTITION,
      accountId: Aws.ACCOUNT_ID,
      stage: this.resources.stage,
      signingAlgorithm: this.resources.signingKeys.signingAlgorithm,
      breakGlassRoleName: this.resources.breakGlassRoleName,
      readers: { seal: functionsWith('seal'), official: functionsWith('official') },
      provisioner,
    });
    for (const [name, fn] of Object.entries(deployed)) {
      if (!permissions[name]?.provisionKeys) continue;
      fn.addEnvironment({ DOCFLOW_RUN_TIME_KEY_PRINCIPALS: Stack.of(fn).toJsonString(principals) });
    }
  }
}

const constantCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

const unique = (values: readonly string[]): string[] => [...new Set(values)];
