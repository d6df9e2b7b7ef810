import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { tables } from '../../lambdas/deployment/resources';
import { INTAKE_DRAFT_DAYS } from '../../lib/constructs/document-buckets';
import { VAULT_LOCK_GRACE } from '../../lib/constructs/table-backups';
import { REPLICATION_RULE_ID } from '../../lib/recovery';
import {
  asList,
  type CfnResource,
  configOf,
  PROD_CONTEXT,
  recoveryTemplate,
  resources,
  type Statement,
  template,
} from './synth';

const t = template();
const prod = template({ context: { ...PROD_CONTEXT, archiveRetentionYears: '25' } });

const bucket = (prefix: string, tpl: Template = t): [string, CfnResource] => {
  const found = resources(tpl, 'AWS::S3::Bucket').filter(([id]) => id.startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
const bucketPolicy = (bucketId: string, tpl: Template = t): Statement[] =>
  resources(tpl, 'AWS::S3::BucketPolicy')
    .filter(([, p]) => JSON.stringify(p.Properties.Bucket).includes(`"${bucketId}"`))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const keyId = (prefix: string, tpl: Template = t) =>
  resources(tpl, 'AWS::KMS::Key').find(([id]) => id.startsWith(prefix))?.[0];
const dataKeyId = keyId('DataKey');
const archiveKeyId = keyId('ArchiveKey');

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
      // A named bucket is deleted only if the stack's very creation rolls back (it is empty then), so a
      // retry does not fail on its name; every other bucket is simply kept.
      expect(b.DeletionPolicy, id).toBe(b.Properties.BucketName ? 'RetainExceptOnCreate' : 'Retain');
      expect(b.UpdateReplacePolicy, id).toBe('Retain');
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

  it('intake and PKI buckets use SSE-KMS with the data key, the archive with its own key; all log access', () => {
    const [logsId] = bucket('LogsServerAccessLogs');
    expect(archiveKeyId).toBeDefined();
    expect(archiveKeyId).not.toBe(dataKeyId);
    for (const [prefix, key] of [
      ['FilesIntakeBucket', dataKeyId],
      ['FilesArchiveBucket', archiveKeyId],
      ['FilesPkiBucket', dataKeyId],
    ] as const) {
      const [, b] = bucket(prefix);
      expect(b.Properties.BucketEncryption, prefix).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] },
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

  it('the archive refuses any write that could replace an object: PUT without If-None-Match is denied', () => {
    const [archiveId] = bucket('FilesArchiveBucket');
    const deny = bucketPolicy(archiveId).find((s) => s.Sid === 'WritesMustNotReplaceAnObject');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Condition: { Null: { 's3:if-none-match': 'true' } },
    });
    expect(JSON.stringify(deny?.Resource)).toContain(archiveId);
    // Only the archive: intake takes browser uploads by presigned PUT.
    const [intakeId] = bucket('FilesIntakeBucket');
    expect(bucketPolicy(intakeId).some((s) => s.Sid === 'WritesMustNotReplaceAnObject')).toBe(false);
  });

  it('the PKI bucket keeps every published version', () => {
    const [, pki] = bucket('FilesPkiBucket');
    expect(pki.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('the log buckets are versioned, old versions kept as long as the logs', () => {
    const days = configOf().accessLogRetentionDays;
    for (const prefix of ['LogsServerAccessLogs', 'LogsCloudFrontLogs']) {
      const [, b] = bucket(prefix);
      expect(b.Properties.VersioningConfiguration, prefix).toEqual({ Status: 'Enabled' });
      expect(b.Properties.LifecycleConfiguration, prefix).toEqual({
        Rules: [
          {
            Id: 'expire-logs',
            Status: 'Enabled',
            ExpirationInDays: days,
            NoncurrentVersionExpiration: { NoncurrentDays: days },
          },
        ],
      });
    }
  });
});

describe('keys that protect long-lived data', () => {
  const statements = (id: string | undefined, tpl: Template = t) =>
    (
      (resources(tpl, 'AWS::KMS::Key').find(([k]) => k === id)?.[1].Properties.KeyPolicy as {
        Statement: Statement[];
      }) ?? { Statement: [] }
    ).Statement;

  it.each([
    ['DataKey', 'data'],
    ['ArchiveKey', 'archive'],
    ['BackupsLockedKey', 'backup'],
  ])(
    '%s: aliased, rotated, kept; only the break-glass role disables, deletes or re-polices it',
    (prefix, alias) => {
      const id = keyId(prefix);
      t.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true }),
        DeletionPolicy: 'Retain',
      });
      expect(resources(t, 'AWS::KMS::Alias').map(([, a]) => a.Properties)).toContainEqual({
        AliasName: `alias/docflow/dev/${alias}`,
        TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] },
      });
      const policy = statements(id);
      const destroy = policy.find((s) => s.Sid === 'OnlyBreakGlassDisablesOrDeletes');
      expect(destroy).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'],
        Resource: '*',
      });
      const exempt = JSON.stringify(destroy?.Condition?.ArnNotLike?.['aws:PrincipalArn']);
      expect(exempt).toContain(':iam::111111111111:role/docflow-break-glass');
      expect(JSON.parse(exempt)).toHaveLength(1);
      const repolicy = policy.find((s) => s.Sid === 'OnlyBreakGlassOrDeploymentChangesPolicy');
      expect(repolicy).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:PutKeyPolicy' });
      // The deployment role keeps PutKeyPolicy: KMS refuses a policy its creator could never change.
      const both = JSON.stringify(repolicy?.Condition?.ArnNotLike?.['aws:PrincipalArn']);
      expect(both).toContain('role/docflow-break-glass');
      expect(both).toContain('role/cdk-hnb659fds-cfn-exec-role-111111111111-ap-southeast-1');
    },
  );

  it('names the configured break-glass role, path included', () => {
    const named = template({ context: { breakGlassRoleName: 'security/docflow-kms-officer' } });
    const policy = JSON.stringify(statements(keyId('ArchiveKey', named), named));
    expect(policy).toContain(':role/security/docflow-kms-officer');
    expect(policy).not.toContain('docflow-break-glass');
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

  it('the circulation log’s stream feeds each consumer, with dead letters and partial failures', () => {
    const mappings = resources(t, 'AWS::Lambda::EventSourceMapping');
    const logId = resources(t, 'AWS::DynamoDB::GlobalTable').find(([id]) =>
      id.startsWith('DataCirculationLog'),
    )?.[0];
    const consumers = ['TransparencySequencer', 'DeliveryCompleter', 'Notifier', 'WebhookFanOut'];
    expect(mappings).toHaveLength(consumers.length);
    for (const consumer of consumers) {
      const [, mapping] = mappings.find(([, m]) =>
        JSON.stringify(m.Properties.FunctionName).includes(`${consumer}Function`),
      ) as [string, CfnResource];
      expect(mapping.Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [logId, 'StreamArn'] });
      expect(mapping.Properties).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        StartingPosition: 'TRIM_HORIZON',
      });
      expect(JSON.stringify(mapping.Properties.DestinationConfig)).toMatch(
        new RegExp(`${consumer}StreamDeadLetters`),
      );
      expect(
        resources(t, 'AWS::SQS::Queue').filter(([id]) => id.startsWith(`${consumer}Stream`)),
      ).toHaveLength(1);
    }
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

describe('AWS Backup of the tables', () => {
  const prod = template({ context: PROD_CONTEXT });
  const only = (tpl: Template, type: string) => {
    const found = resources(tpl, type);
    expect(found, type).toHaveLength(1);
    return (found[0] as [string, CfnResource])[1];
  };

  it('backs up every table, daily and monthly, into a locked vault under its own key', () => {
    const selection = only(t, 'AWS::Backup::BackupSelection').Properties.BackupSelection as {
      Resources: unknown[];
    };
    const tableIds = resources(t, 'AWS::DynamoDB::GlobalTable').map(([id]) => ({
      'Fn::GetAtt': [id, 'Arn'],
    }));
    expect(selection.Resources).toEqual(expect.arrayContaining(tableIds));
    expect(selection.Resources).toHaveLength(tableIds.length);
    const plan = only(t, 'AWS::Backup::BackupPlan').Properties.BackupPlan as {
      BackupPlanRule: { RuleName: string; Lifecycle: { DeleteAfterDays: number }; CopyActions?: unknown[] }[];
    };
    const { backupRetentionDays, archiveRetentionYears } = configOf();
    expect(plan.BackupPlanRule.map((r) => [r.RuleName, r.Lifecycle.DeleteAfterDays])).toEqual([
      ['daily', backupRetentionDays],
      ['monthly', Math.ceil(archiveRetentionYears * 366)],
    ]);
    const vault = resources(t, 'AWS::Backup::BackupVault')[0] as [string, CfnResource];
    expect(vault[1].Properties).toMatchObject({
      BackupVaultName: 'docflow-dev-tables',
      EncryptionKeyArn: { 'Fn::GetAtt': [keyId('BackupsLockedKey'), 'Arn'] },
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: Math.ceil(archiveRetentionYears * 366) },
      AccessPolicy: {
        Statement: [
          expect.objectContaining({
            Effect: 'Deny',
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
          }),
        ],
      },
    });
    expect(vault[1].DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('locks a production vault in compliance mode (after the grace period, not even root can unlock it)', () => {
    expect(
      (only(prod, 'AWS::Backup::BackupVault').Properties.LockConfiguration as Record<string, number>)
        .ChangeableForDays,
    ).toBe(VAULT_LOCK_GRACE.toDays());
    // dev: governance mode, removable by whoever holds the IAM permission.
    expect(
      (only(t, 'AWS::Backup::BackupVault').Properties.LockConfiguration as Record<string, number>)
        .ChangeableForDays,
    ).toBeUndefined();
  });

  it('copies every backup to the recovery region’s vault when there is one', () => {
    const rules = (
      only(prod, 'AWS::Backup::BackupPlan').Properties.BackupPlan as {
        BackupPlanRule: {
          Lifecycle: unknown;
          CopyActions: { DestinationBackupVaultArn: unknown; Lifecycle: unknown }[];
        }[];
      }
    ).BackupPlanRule;
    for (const rule of rules) {
      expect(rule.CopyActions).toHaveLength(1);
      expect(JSON.stringify(rule.CopyActions[0]?.DestinationBackupVaultArn)).toContain(
        ':backup:ap-southeast-2:111111111111:backup-vault:docflow-prod-tables-copy',
      );
      expect(rule.CopyActions[0]?.Lifecycle).toEqual(rule.Lifecycle);
    }
    const other = template({
      context: { ...PROD_CONTEXT, drAccount: '222222222222', drRegion: 'ap-southeast-1' },
    });
    expect(JSON.stringify(only(other, 'AWS::Backup::BackupPlan').Properties)).toContain(
      ':backup:ap-southeast-1:222222222222:backup-vault:docflow-prod-tables-copy',
    );
    const dev = (only(t, 'AWS::Backup::BackupPlan').Properties.BackupPlan as { BackupPlanRule: object[] })
      .BackupPlanRule;
    expect(dev.every((r) => !('CopyActions' in r))).toBe(true);
  });
});

describe('the archive replica in the recovery region', () => {
  const prod = template({ context: PROD_CONTEXT });
  const dr = recoveryTemplate({ context: PROD_CONTEXT });
  const crossDr = recoveryTemplate({ context: { ...PROD_CONTEXT, drAccount: '222222222222' } });

  it('replicates every new archive version there, encrypted with that region’s own key', () => {
    const [, archive] = bucket('FilesArchiveBucket', prod);
    const replication = archive.Properties.ReplicationConfiguration as {
      Role: unknown;
      Rules: Record<string, unknown>[];
    };
    expect(JSON.stringify(replication.Role)).toMatch(/ArchiveReplicationRole/);
    expect(replication.Rules).toEqual([
      {
        Id: REPLICATION_RULE_ID,
        Status: 'Enabled',
        Priority: 1,
        Filter: { Prefix: '' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        Destination: {
          Bucket: expect.objectContaining({}),
          EncryptionConfiguration: {
            ReplicaKmsKeyID: expect.objectContaining({}),
          },
          Metrics: { Status: 'Enabled' },
        },
      },
    ]);
    const destination = JSON.stringify(replication.Rules[0]?.Destination);
    expect(destination).toContain(':s3:::docflow-prod-archive-dr-111111111111-ap-southeast-2');
    expect(destination).toContain(':kms:ap-southeast-2:111111111111:alias/docflow/prod/archive-replica');
    // No recovery region, no replication.
    expect(bucket('FilesArchiveBucket')[1].Properties.ReplicationConfiguration).toBeUndefined();
  });

  it('the replica bucket has the same Object Lock, its own protected key, and refuses overwrites', () => {
    const [replicaId, replica] = bucket('ArchiveReplica', dr);
    expect(replica.Properties).toMatchObject({
      BucketName: 'docflow-prod-archive-dr-111111111111-ap-southeast-2',
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: {
          DefaultRetention: { Mode: 'COMPLIANCE', Years: configOf(PROD_CONTEXT).archiveRetentionYears },
        },
      },
    });
    expect(replica.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(JSON.stringify(replica.Properties.BucketEncryption)).toContain(keyId('ArchiveReplicaKey', dr));
    expect(bucketPolicy(replicaId, dr).some((s) => s.Sid === 'WritesMustNotReplaceAnObject')).toBe(true);
    const keyPolicy = JSON.stringify(
      resources(dr, 'AWS::KMS::Key').find(([id]) => id.startsWith('ArchiveReplicaKey'))?.[1],
    );
    expect(keyPolicy).toContain('OnlyBreakGlassDisablesOrDeletes');
    expect(resources(dr, 'AWS::KMS::Alias').map(([, a]) => a.Properties.AliasName)).toEqual(
      expect.arrayContaining(['alias/docflow/prod/archive-replica', 'alias/docflow/prod/backup-copy']),
    );
  });

  it('lets another account’s replication role write replicas and use the key, by its fixed name only', () => {
    const [replicaId] = bucket('ArchiveReplica', crossDr);
    const writes = bucketPolicy(replicaId, crossDr).find((s) => s.Sid === 'SourceReplicationWrites');
    expect(JSON.stringify(writes?.Principal)).toContain(
      ':iam::111111111111:role/docflow-prod-archive-replication',
    );
    expect(asList(writes?.Action).sort()).toEqual([
      's3:ObjectOwnerOverrideToBucketOwner',
      's3:ReplicateObject',
      's3:ReplicateTags',
    ]);
    expect(JSON.stringify(resources(crossDr, 'AWS::KMS::Key'))).toContain('SourceReplicationEncrypts');
    // The same account needs none of it: the role's IAM policy suffices.
    expect(JSON.stringify(dr.toJSON())).not.toContain('SourceReplicationWrites');
  });

  it('the copy vault there is locked too, and takes copies from the stage’s account', () => {
    const [, vault] = resources(crossDr, 'AWS::Backup::BackupVault')[0] as [string, CfnResource];
    expect(vault.Properties).toMatchObject({
      BackupVaultName: 'docflow-prod-tables-copy',
      LockConfiguration: expect.objectContaining({ ChangeableForDays: 3 }),
    });
    expect(JSON.stringify(vault.Properties.AccessPolicy)).toContain('backup:CopyIntoBackupVault');
    expect(JSON.stringify(vault.Properties.AccessPolicy)).toContain('111111111111');
  });

  it('the replication role reads the archive and writes replicas, nothing else', () => {
    const role = resources(prod, 'AWS::IAM::Role').find(([id]) => id.startsWith('ArchiveReplicationRole'));
    expect(role?.[1].Properties.RoleName).toBe('docflow-prod-archive-replication');
    const statements = resources(prod, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(role?.[0] ?? '?'))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = statements.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual(
      [
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        's3:GetObjectLegalHold',
        's3:GetObjectRetention',
        's3:GetObjectVersionAcl',
        's3:GetObjectVersionForReplication',
        's3:GetObjectVersionTagging',
        's3:GetReplicationConfiguration',
        's3:ListBucket',
        's3:ReplicateObject',
        's3:ReplicateTags',
      ].sort(),
    );
    expect(actions).not.toContain('s3:ReplicateDelete');
  });
});
