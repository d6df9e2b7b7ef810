import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type TableSpec, tables } from '../lambdas/deployment/resources';

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
    await client.send(new CreateTableCommand(createTableInput(spec)));
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
