import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DocflowBucket } from './docflow-bucket';

export interface LogBucketsProps {
  /** Days access logs are kept: they are the evidence of who read the archive. */
  readonly retentionDays: number;
  /** Also a bucket for CloudFront's logs (default true; the second region's stack has no distribution). */
  readonly cloudFront?: boolean;
}

/** Where S3 server access logs and CloudFront access logs land. */
export class LogBuckets extends Construct {
  readonly serverAccessLogs: Bucket;
  readonly cloudFrontLogs: Bucket | undefined;

  constructor(scope: Construct, id: string, props: LogBucketsProps) {
    super(scope, id);
    // Versioned, so a log object overwritten or deleted before its time stays recoverable as evidence for
    // the same retention period.
    const expiry = [
      {
        id: 'expire-logs',
        expiration: Duration.days(props.retentionDays),
        noncurrentVersionExpiration: Duration.days(props.retentionDays),
      },
    ];
    // S3 delivers server access logs only to SSE-S3 buckets, through the bucket policy CDK writes.
    this.serverAccessLogs = new Bucket(this, 'ServerAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      versioned: true,
      lifecycleRules: expiry,
    });
    Validations.of(this.serverAccessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'the server access log bucket itself: logging it into itself would log its own log deliveries',
    });
    if (props.cloudFront === false) return;
    // CloudFront standard logging writes with ACLs, so this bucket (alone) keeps object-writer ownership.
    this.cloudFrontLogs = new DocflowBucket(this, 'CloudFrontLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      accessLogs: this.serverAccessLogs,
      accessLogsPrefix: 'cloudfront-logs/',
      versioned: true,
      lifecycleRules: expiry,
    });
  }
}
