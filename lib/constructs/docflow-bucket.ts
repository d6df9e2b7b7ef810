import { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  type BucketProps,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface DocflowBucketProps
  extends Omit<
    BucketProps,
    'blockPublicAccess' | 'enforceSSL' | 'serverAccessLogsBucket' | 'publicReadAccess'
  > {
  /** Where S3 server access logs go: every bucket is logged (who read or wrote what, when). */
  readonly accessLogs: IBucket;
  readonly accessLogsPrefix: string;
}

/**
 * An S3 bucket with the defaults a government archive needs and no way to opt out: private (public access
 * blocked, ACLs disabled), TLS 1.2+ only, logged, and kept when the stack is deleted.
 */
export class DocflowBucket extends Bucket {
  constructor(scope: Construct, id: string, props: DocflowBucketProps) {
    const { accessLogs, accessLogsPrefix, ...rest } = props;
    super(scope, id, {
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      ...rest,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: accessLogsPrefix,
    });
  }
}
