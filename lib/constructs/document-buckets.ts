import { Aws, Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BucketEncryption, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName } from '../../lambdas/deployment/resources';
import { DocflowBucket } from './docflow-bucket';

export interface DocumentBucketsProps {
  readonly stage: string;
  readonly encryptionKey: IKey;
  readonly archiveRetentionYears: number;
  readonly accessLogs: IBucket;
}

/** Days an upload may sit in the intake bucket before it counts as an abandoned draft. */
export const INTAKE_DRAFT_DAYS = 7;

/**
 * The intake bucket (browser uploads by presigned URL), the archive bucket (signed originals under Object
 * Lock) and the PKI bucket (certificates and CRLs): SSE-KMS with the data key, private, TLS only, logged.
 */
export class DocumentBuckets extends Construct {
  readonly buckets: Readonly<Record<BucketName, DocflowBucket>>;
  /**
   * The intake and archive buckets' names are fixed (account and region make them unique) so that the
   * web's CSP can name them in connect-src while their CORS rules name the web's CloudFront domain,
   * without a dependency cycle. The browser PUTs drafts to intake and reads revisions from the archive
   * (PDF preview), both by presigned URL.
   */
  readonly browserFacingBucketNames: Readonly<Record<'intake' | 'archive', string>>;

  constructor(scope: Construct, id: string, props: DocumentBucketsProps) {
    super(scope, id);
    const encrypted = {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket instead of a KMS request per object: cost and KMS quota.
      bucketKeyEnabled: true,
      accessLogs: props.accessLogs,
    };
    const name = (purpose: string) => `docflow-${props.stage}-${purpose}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.browserFacingBucketNames = { intake: name('intake'), archive: name('archive') };
    const intake = new DocflowBucket(this, 'IntakeBucket', {
      ...encrypted,
      bucketName: this.browserFacingBucketNames.intake,
      accessLogsPrefix: 'intake/',
      lifecycleRules: [
        {
          id: 'abandoned-drafts',
          expiration: Duration.days(INTAKE_DRAFT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Evidence packages too large to answer inline: fetched once through a 5-minute URL, made again
        // from the archive whenever asked.
        { id: 'evidence-packages', prefix: 'evidence/', expiration: Duration.days(1) },
      ],
    });
    const archive = new DocflowBucket(this, 'ArchiveBucket', {
      ...encrypted,
      bucketName: this.browserFacingBucketNames.archive,
      accessLogsPrefix: 'archive/',
      versioned: true,
      objectLockEnabled: true,
    });
    // Retention in years, not 365 × years days: a legal retention period must not end before its
    // anniversary in leap years. CDK only renders days, so the rule is set on the L1 resource.
    (archive.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: props.archiveRetentionYears } },
    };
    const pki = new DocflowBucket(this, 'PkiBucket', {
      ...encrypted,
      accessLogsPrefix: 'pki/',
      // Every CRL and certificate ever published stays retrievable.
      versioned: true,
    });
    this.buckets = { intake, archive, pki };
  }
}
