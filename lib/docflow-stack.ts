import { Stack, type StackProps } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { buckets, tables } from '../lambdas/adapters/resources';
import type { StageConfig } from './config';
import { DocflowApi } from './constructs/api';
import { DataStore } from './constructs/data-store';
import { DocumentBuckets } from './constructs/document-buckets';

export interface DocflowStackProps extends StackProps {
  readonly config: StageConfig;
}

/** Everything the local stack emulates, deployed: tables, buckets, keys, functions and the HTTP API. */
export class DocflowStack extends Stack {
  constructor(scope: Construct, id: string, props: DocflowStackProps) {
    super(scope, id, props);
    const dataKey = new Key(this, 'DataKey', {
      description: 'docflow: encryption of stored documents',
      enableKeyRotation: true,
    });
    const store = new DataStore(this, 'Data');
    const files = new DocumentBuckets(this, 'Files', {
      encryptionKey: dataKey,
      archiveRetentionYears: props.config.archiveRetentionYears,
    });

    const environment: Record<string, string> = { DOCFLOW_STAGE: props.config.stage };
    for (const [name, spec] of Object.entries(tables)) {
      environment[spec.env] = store.tables[name as keyof typeof tables].tableName;
    }
    for (const [name, spec] of Object.entries(buckets)) {
      environment[spec.env] = files.buckets[name as keyof typeof buckets].bucketName;
    }
    const api = new DocflowApi(this, 'Api', { environment });
    store.tables.directory.grantReadData(api.functions.directory);
    store.tables.directory.grantReadData(api.functions.system);
  }
}
