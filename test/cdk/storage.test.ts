import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tables } from '../../lambdas/deployment/resources';
import { INTAKE_DRAFT_DAYS } from '../../lib/constructs/document-buckets';
import { asList, type CfnResource, configOf, resources, type Statement, template } from './synth';

const t = template();
const prod = template({ context: { stage: 'prod', archiveRetentionYears: '25' } });

const bucket = (prefix: string): [string, CfnResource] => {
  const found = resources(t, 'AWS::S3::Bucket').filter(([id]) => id.startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
const bucketPolicy = (bucketId: string): Statement[] =>
  resources(t, 'AWS::S3::BucketPolicy')
    .filter(([, p]) => JSON.stringify(p.Properties.Bucket).includes(`"${bucketId}"`))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const dataKeyId = resources(t, 'AWS::KMS::Key').find(([id]) => id.startsWith('DataKey'))?.[0];

describe('S3 buckets', () => {
  it('every bucket blocks public access, refuses plain HTTP and old TLS, and is kept on stack deletion', () => {
    const all = resources(t, 'AWS::S3::Bucket');
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const [id, b] of all) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(b.DeletionPolicy, id).toBe('Retain');
      const denies = bucketPolicy(id).filter((s) => s.Effect === 'Deny');
      expect(
        denies.some((s) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false'),
        id,
      ).toBe(true);
      expect(
        denies.some((s) => s.Condition?.NumericLessThan?.['s3:TlsVersion'] === 1.2),
        `${id} TLS 1.2`,
      ).toBe(true);
    }
  });

  it('intake, archive and PKI buckets use SSE-KMS with the data key and log server access', () => {
    const [logsId] = bucket('LogsServerAccessLogs');
    for (const prefix of ['FilesIntakeBucket', 'FilesArchiveBucket', 'FilesPkiBucket']) {
      const [, b] = bucket(prefix);
      expect(b.Properties.BucketEncryption, prefix).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
            },
          },
        ],
      });
      expect(b.Properties.LoggingConfiguration, prefix).toMatchObject({
        DestinationBucketName: { Ref: logsId },
      });
    }
  });

  it('every other bucket logs too, except the access-log bucket itself', () => {
    const [logsId] = bucket('LogsServerAccessLogs');
    for (const [id, b] of resources(t, 'AWS::S3::Bucket')) {
      if (id === logsId) continue;
      expect(b.Properties.LoggingConfiguration, id).toBeDefined();
    }
  });

  it('the intake bucket expires abandoned drafts and evidence packages, and takes browser uploads from the web origin only', () => {
    const [, intake] = bucket('FilesIntakeBucket');
    expect(intake.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'abandoned-drafts',
          Status: 'Enabled',
          ExpirationInDays: INTAKE_DRAFT_DAYS,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        { Id: 'evidence-packages', Status: 'Enabled', Prefix: 'evidence/', ExpirationInDays: 1 },
      ],
    });
    const cors = (intake.Properties.CorsConfiguration as { CorsRules: Record<string, unknown>[] }).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]?.AllowedMethods).toEqual(['PUT', 'POST']);
    const origins = JSON.stringify(cors[0]?.AllowedOrigins);
    expect(origins).not.toContain('"*"');
    expect(origins).toContain('DomainName');
  });

  it('the archive bucket is versioned with Object Lock COMPLIANCE for the configured years', () => {
    const [, archive] = bucket('FilesArchiveBucket');
    expect(archive.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(archive.Properties.ObjectLockEnabled).toBe(true);
    expect(archive.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: configOf().archiveRetentionYears } },
    });
    prod.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 25 } } },
    });
    // Nothing may expire a signed original.
    expect(archive.Properties.LifecycleConfiguration).toBeUndefined();
  });

  it('the archive bucket lets the web origin read revisions (PDF preview by presigned URL), nothing more', () => {
    const [, archive] = bucket('FilesArchiveBucket');
    const cors = (archive.Properties.CorsConfiguration as { CorsRules: Record<string, unknown>[] }).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]?.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(JSON.stringify(cors[0]?.AllowedOrigins)).not.toContain('"*"');
  });

  it('the PKI bucket keeps every published version', () => {
    const [, pki] = bucket('FilesPkiBucket');
    expect(pki.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });
});

describe('DynamoDB tables', () => {
  const all = resources(t, 'AWS::DynamoDB::GlobalTable');

  it('one table per spec in resources.ts', () => {
    expect(all).toHaveLength(Object.keys(tables).length);
  });

  it.each(Object.entries(tables))('%s: on demand, PITR, deletion protection, data key, kept', (_, spec) => {
    const found = all.filter(([id]) => id.startsWith(`Data${spec.id}`));
    expect(found).toHaveLength(1);
    const [, table] = found[0] as [string, CfnResource];
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.DeletionPolicy).toBe('Retain');
    const replicas = table.Properties.Replicas as Record<string, unknown>[];
    expect(replicas).toHaveLength(1);
    expect(replicas[0]).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } },
    });
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.StreamSpecification).toEqual(
      spec.stream ? { StreamViewType: 'NEW_IMAGE' } : undefined,
    );
    const ttl = 'timeToLiveAttribute' in spec ? spec.timeToLiveAttribute : undefined;
    expect(table.Properties.TimeToLiveSpecification).toEqual(
      ttl ? { AttributeName: ttl, Enabled: true } : undefined,
    );
    const indexes = asList(table.Properties.GlobalSecondaryIndexes as { IndexName: string }[] | undefined);
    expect(indexes.map((i) => i.IndexName)).toEqual(spec.globalIndexes.map((i) => i.name));
  });

  it('the directory table is named by CloudFormation and given as the DirectoryTableName output', () => {
    // npm run directory:load finds `Docflow-<stage>-DataDirectory…` (ops/directory/stage.ts), or takes the output.
    const [directoryId, directory] = all.find(([id]) => id.startsWith('DataDirectory')) ?? [];
    expect(directory?.Properties.TableName).toBeUndefined();
    t.hasOutput('DirectoryTableName', { Value: { Ref: directoryId } });
    t.hasOutput('UserPoolId', Match.anyValue());
  });

  it('the circulation log’s stream feeds the transparency sequencer, with dead letters and partial failures', () => {
    const mappings = resources(t, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0] as [string, CfnResource];
    const logId = resources(t, 'AWS::DynamoDB::GlobalTable').find(([id]) =>
      id.startsWith('DataCirculationLog'),
    )?.[0];
    expect(mapping.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [logId, 'StreamArn'] });
    expect(JSON.stringify(mapping.Properties.FunctionName)).toMatch(/TransparencySequencerFunction/);
    expect(mapping.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      StartingPosition: 'TRIM_HORIZON',
    });
    expect(JSON.stringify(mapping.Properties.DestinationConfig)).toMatch(
      /TransparencySequencerStreamDeadLetters/,
    );
    t.resourceCountIs('AWS::SQS::Queue', 1);
  });

  it('the data key rotates and is kept', () => {
    t.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        Description: Match.stringLikeRegexp('tables'),
      }),
      DeletionPolicy: 'Retain',
    });
  });
});
