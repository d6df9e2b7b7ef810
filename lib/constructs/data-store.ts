import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type TableName, type TableSpec, tables } from '../../lambdas/adapters/resources';

const attributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

/** docflow's DynamoDB tables, from the same specification the local stack creates them with. */
export class DataStore extends Construct {
  readonly tables: Readonly<Record<TableName, ITableV2>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const created = {} as Record<TableName, ITableV2>;
    for (const [name, spec] of Object.entries(tables) as [TableName, TableSpec][]) {
      created[name] = new TableV2(this, spec.id, {
        partitionKey: { name: spec.partitionKey.name, type: attributeType(spec.partitionKey.type) },
        sortKey: spec.sortKey
          ? { name: spec.sortKey.name, type: attributeType(spec.sortKey.type) }
          : undefined,
        globalSecondaryIndexes: spec.globalIndexes.map((index) => ({
          indexName: index.name,
          partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
          sortKey: index.sortKey
            ? { name: index.sortKey.name, type: attributeType(index.sortKey.type) }
            : undefined,
        })),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: spec.timeToLiveAttribute,
        dynamoStream: spec.stream ? StreamViewType.NEW_IMAGE : undefined,
      });
    }
    this.tables = created;
  }
}
