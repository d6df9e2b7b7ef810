import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName } from '../../lambdas/adapters/resources';

export interface DocumentBucketsProps {
  readonly encryptionKey: IKey;
  readonly archiveRetentionYears: number;
}

/** Intake, archive and PKI buckets with a government archive's defaults: encrypted, private, TLS only, logged. */
export class DocumentBuckets extends Construct {
  readonly buckets: Readonly<Record<BucketName, Bucket>>;

  constructor(scope: Construct, id: string, props: DocumentBucketsProps) {
    super(scope, id);
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(3650) }],
    });
    const secure = {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
    } as const;
    this.buckets = {
      intake: new Bucket(this, 'IntakeBucket', {
        ...secure,
        serverAccessLogsPrefix: 'intake/',
        // Browsers PUT drafts straight to presigned URLs.
        cors: [
          { allowedMethods: [HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 3000 },
        ],
        lifecycleRules: [
          {
            id: 'abandoned-uploads',
            expiration: Duration.days(7),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
      }),
      archive: new Bucket(this, 'ArchiveBucket', {
        ...secure,
        serverAccessLogsPrefix: 'archive/',
        versioned: true,
        objectLockEnabled: true,
        objectLockDefaultRetention: ObjectLockRetention.compliance(
          Duration.days(365 * props.archiveRetentionYears),
        ),
      }),
      pki: new Bucket(this, 'PkiBucket', { ...secure, serverAccessLogsPrefix: 'pki/', versioned: true }),
    };
  }
}
