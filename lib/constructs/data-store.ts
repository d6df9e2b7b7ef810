import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  type TableName,
  type TableSpec,
  tables,
} from '../../lambdas/deployment/resources';

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

export interface DataStoreProps {
  readonly encryptionKey: IKey;
}

/**
 * docflow's DynamoDB tables, from the same specification the local stack creates them with: on demand,
 * point-in-time recovery, deletion protection, encrypted with the data key, and a stream (new images)
 * where projections read the table.
 */
export class DataStore extends Construct {
  readonly tables: Readonly<Record<TableName, TableV2>>;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    const created = {} as Record<TableName, TableV2>;
    for (const [name, spec] of Object.entries(tables) as [TableName, TableSpec][]) {
      created[name] = new TableV2(this, spec.id, {
        partitionKey: attribute(spec.partitionKey),
        sortKey: spec.sortKey && attribute(spec.sortKey),
        globalSecondaryIndexes: spec.globalIndexes.map((index) => ({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
        })),
        billing: Billing.onDemand(),
        encryption: TableEncryptionV2.customerManagedKey(props.encryptionKey),
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
