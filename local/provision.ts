import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  NotFoundException,
  PutKeyPolicyCommand,
  TagResourceCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { type TableSpec, tables } from '../lambdas/deployment/resources';
import type { StackModel } from './iam/stack-model';

/** Physical names on a laptop; CDK names them in AWS. */
export const localTableName = (spec: TableSpec): string => `docflow-${spec.id}`;
export const localBucketName = (id: string): string => `docflow-${id.replace(/Bucket$/, '').toLowerCase()}`;

function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const keys = [
    spec.partitionKey,
    spec.sortKey,
    ...spec.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
  ];
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  return {
    TableName: localTableName(spec),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes:
      spec.globalIndexes.length > 0
        ? spec.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' },
          }))
        : undefined,
    StreamSpecification: spec.stream ? { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } : undefined,
  };
}

/** Creates the tables that are missing; existing ones (a restart) are left as they are. */
export async function createTables(client: DynamoDBClient): Promise<string[]> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const created: string[] = [];
  for (const spec of Object.values(tables) as TableSpec[]) {
    const name = localTableName(spec);
    if (existing.has(name)) continue;
    await client.send(new CreateTableCommand(createTableInput(spec))).catch((error: unknown) => {
      // A create retried by the SDK after a slow first answer (a loaded machine) finds its own table.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    });
    if (spec.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { Enabled: true, AttributeName: spec.timeToLiveAttribute },
        }),
      );
    }
    created.push(name);
  }
  return created;
}

export { DynamoDBClient };

/**
 * Creates the CDK stack's KMS keys in the emulator as `cdk deploy` would, with their key policies, tags
 * and aliases, before any function runs; on a restart, finds them by alias and brings their policy, tags
 * and description up to date with the template (an update of the stack). Keys the emulator cannot hold,
 * or without an alias to find them by on a restart, are skipped. Acts as the operator.
 */
export async function provisionStackKeys(
  kms: KMSClient,
  model: StackModel,
): Promise<{ created: string[]; updated: string[]; skipped: string[] }> {
  const result = { created: [] as string[], updated: [] as string[], skipped: [] as string[] };
  for (const key of model.keys()) {
    if (!key.supported || key.aliases.length === 0) {
      result.skipped.push(key.logicalId);
      continue;
    }
    const [alias, ...others] = key.aliases as [string, ...string[]];
    const policy = JSON.stringify(model.keyPolicy(key.logicalId));
    let keyId: string | undefined;
    try {
      keyId = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    if (keyId) {
      await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: policy }));
      if (key.tags.length > 0) await kms.send(new TagResourceCommand({ KeyId: keyId, Tags: [...key.tags] }));
      await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: key.description }));
      result.updated.push(key.logicalId);
    } else {
      const created = await kms.send(
        new CreateKeyCommand({
          KeySpec: key.keySpec as KeySpec,
          KeyUsage: key.keyUsage as KeyUsageType,
          Description: key.description,
          Policy: policy,
          Tags: [...key.tags],
        }),
      );
      keyId = created.KeyMetadata?.KeyId;
      if (!keyId) throw new Error(`KMS created no key for ${key.logicalId}`);
      await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
      result.created.push(key.logicalId);
    }
    for (const other of others) {
      await kms
        .send(new CreateAliasCommand({ AliasName: other, TargetKeyId: keyId }))
        .catch((error: unknown) => {
          if (!(error instanceof AlreadyExistsException)) throw error;
        });
    }
    model.setKeyId(key.logicalId, keyId);
  }
  return result;
}
