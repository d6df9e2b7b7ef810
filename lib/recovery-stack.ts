import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { AccountPrincipal, ArnPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { StageConfig } from './config';
import { DocflowBucket } from './constructs/docflow-bucket';
import { refuseOverwrites } from './constructs/document-buckets';
import { LogBuckets } from './constructs/log-buckets';
import { Monitoring } from './constructs/monitoring';
import { LockedVault } from './constructs/table-backups';
import { protectKey } from './key-protection';
import { daysInYears, type RecoveryNames, recoveryNames, replicationRoleName } from './recovery';

export interface RecoveryStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * The account of the stage's main stack (its replication role and backups come from there). Default:
   * this stack's own account.
   */
  readonly sourceAccount?: string;
}

/**
 * What survives the loss of a stage's region (or account): the archive's replica, under the same Object
 * Lock as the archive, and the locked vault that receives copies of the table backups, each with its own
 * key protected like every long-lived data key, and their own alarms. Deployed before the main stack,
 * which replicates and copies into them by name.
 */
export class DocflowRecoveryStack extends Stack {
  readonly names: RecoveryNames;
  readonly replicaKey: Key;
  readonly replica: DocflowBucket;
  readonly copyVault: LockedVault;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: RecoveryStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('docflow:stage', config.stage);
    const guard = { breakGlassRoleName: config.breakGlassRoleName };
    this.names = recoveryNames(config.stage, { account: this.account, region: this.region });
    const sourceAccount = props.sourceAccount ?? this.account;
    const crossAccount = sourceAccount !== this.account;
    const replicationRole = `arn:${Aws.PARTITION}:iam::${sourceAccount}:role/${replicationRoleName(config.stage)}`;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: `${config.stage}-recovery`,
      alarmEmail: config.alarmEmail,
    });
    this.monitoring.watchKeyEvents();
    this.monitoring.watchBackupJobs();
    const logs = new LogBuckets(this, 'Logs', {
      retentionDays: config.accessLogRetentionDays,
      cloudFront: false,
    });

    this.replicaKey = new Key(this, 'ArchiveReplicaKey', {
      description: `docflow ${config.stage}: replica of the archive (signed originals)`,
      alias: this.names.replicaKeyAlias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    protectKey(this.replicaKey, guard);
    if (crossAccount) {
      // Same account: the role's IAM policy suffices (the key delegates to IAM); another account's role
      // must be named in the key policy too.
      this.replicaKey.addToResourcePolicy(
        new PolicyStatement({
          sid: 'SourceReplicationEncrypts',
          principals: [new ArnPrincipal(replicationRole)],
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
        }),
      );
    }
    this.replica = new DocflowBucket(this, 'ArchiveReplica', {
      bucketName: this.names.replicaBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.replicaKey,
      bucketKeyEnabled: true,
      versioned: true,
      objectLockEnabled: true,
      accessLogs: logs.serverAccessLogs,
      accessLogsPrefix: 'archive-replica/',
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    (this.replica.node.defaultChild as CfnBucket).objectLockConfiguration = {
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: 'COMPLIANCE', years: config.archiveRetentionYears } },
    };
    refuseOverwrites(this.replica);
    if (crossAccount) {
      this.replica.addToResourcePolicy(
        new PolicyStatement({
          sid: 'SourceReplicationWrites',
          principals: [new ArnPrincipal(replicationRole)],
          actions: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'],
          resources: [this.replica.arnForObjects('*')],
        }),
      );
      this.replica.addToResourcePolicy(
        new PolicyStatement({
          sid: 'SourceReplicationChecksTheBucket',
          principals: [new ArnPrincipal(replicationRole)],
          actions: ['s3:GetBucketVersioning', 's3:PutBucketVersioning', 's3:ListBucket'],
          resources: [this.replica.bucketArn],
        }),
      );
    }

    const monthly = Duration.days(Math.min(36_500, daysInYears(config.archiveRetentionYears)));
    this.copyVault = new LockedVault(this, 'BackupCopies', {
      stage: config.stage,
      vaultName: this.names.copyVault,
      keyAlias: this.names.copyKeyAlias,
      keyDescription: 'copies of the table backups (AWS Backup vault)',
      guard,
      lock: config.backupVaultLock,
      minRetention: Duration.days(Math.min(7, config.backupRetentionDays)),
      maxRetention: monthly,
    });
    if (crossAccount) {
      this.copyVault.vault.addToAccessPolicy(
        new PolicyStatement({
          sid: 'SourceAccountCopiesIn',
          principals: [new AccountPrincipal(sourceAccount)],
          actions: ['backup:CopyIntoBackupVault'],
          resources: ['*'],
        }),
      );
    }

    new CfnOutput(this, 'ArchiveReplicaBucket', { value: this.replica.bucketName });
    new CfnOutput(this, 'BackupCopyVaultArn', { value: this.copyVault.vault.backupVaultArn });
  }
}
