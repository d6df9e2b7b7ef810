import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BucketEncryption, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketName } from '../../lambdas/deployment/resources';
import { DocflowBucket } from './docflow-bucket';

export interface DocumentBucketsProps {
  readonly stage: string;
  /** The key of each bucket: the archive has its own, the others share the data key. */
  readonly keys: Readonly<Record<BucketName, IKey>>;
  readonly archiveRetentionYears: number;
  readonly accessLogs: IBucket;
}

/** `docflow-<stage>-<purpose>-<account>-<region>`: bucket names that account and region make unique. */
export const bucketName = (stage: string, purpose: string, account: string, region: string) =>
  `docflow-${stage}-${purpose}-${account}-${region}`;

/**
 * Makes an Object-Locked bucket refuse any PutObject that does not carry `If-None-Match` (S3 conditional
 * writes): with it, S3 itself refuses to put a second version under a key that exists, so no version a
 * document's log names can be shadowed by a newer one. CopyObject and multipart uploads are refused with
 * it; docflow uses neither on these buckets.
 */
export function refuseOverwrites(bucket: IBucket): void {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'WritesMustNotReplaceAnObject',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { Null: { 's3:if-none-match': 'true' } },
    }),
  );
}

/** Days an upload may sit in the intake bucket before it counts as an abandoned draft. */
export const INTAKE_DRAFT_DAYS = 7;

/**
 * The intake bucket (browser uploads by presigned URL), the archive bucket (signed originals under Object
 * Lock, with a key of its own) and the PKI bucket (certificates and CRLs): SSE-KMS, private, TLS only,
 * logged.
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
    const encrypted = (key: IKey) => ({
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket instead of a KMS request per object: cost and KMS quota.
      bucketKeyEnabled: true,
      accessLogs: props.accessLogs,
    });
    const name = (purpose: string) => bucketName(props.stage, purpose, Aws.ACCOUNT_ID, Aws.REGION);
    this.browserFacingBucketNames = { intake: name('intake'), archive: name('archive') };
    // A named bucket kept after a failed first deployment would make the retry fail on its name: deleted
    // when the stack's creation rolls back (it is empty then), kept on every later update or deletion.
    const named = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const intake = new DocflowBucket(this, 'IntakeBucket', {
      ...encrypted(props.keys.intake),
      removalPolicy: named,
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
      ...encrypted(props.keys.archive),
      removalPolicy: named,
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
    refuseOverwrites(archive);
    const pki = new DocflowBucket(this, 'PkiBucket', {
      ...encrypted(props.keys.pki),
      accessLogsPrefix: 'pki/',
      // Every CRL and certificate ever published stays retrievable.
      versioned: true,
    });
    this.buckets = { intake, archive, pki };
  }
}
