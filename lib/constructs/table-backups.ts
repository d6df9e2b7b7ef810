import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupVault,
  type IBackupVault,
  type LockConfiguration,
} from 'aws-cdk-lib/aws-backup';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type KeyGuard, protectKey } from '../key-protection';
import { backupVaultName, daysInYears } from '../recovery';

export interface LockedVaultProps {
  readonly stage: string;
  readonly vaultName: string;
  readonly keyAlias: string;
  readonly keyDescription: string;
  readonly guard: KeyGuard;
  readonly lock: 'compliance' | 'governance';
  /** Shortest and longest retention the vault accepts (its recovery points' lifecycles). */
  readonly minRetention: Duration;
  readonly maxRetention: Duration;
}

/** Days of grace before a compliance-mode Vault Lock becomes immutable (AWS Backup's minimum is 3). */
export const VAULT_LOCK_GRACE = Duration.days(3);

/**
 * A backup vault that keeps what it holds: its own KMS key (protected like every long-lived data key),
 * Vault Lock (no recovery point deleted or shortened before its time; in compliance mode not even by root,
 * once the grace period has passed), and a vault policy that refuses deleting recovery points.
 */
export class LockedVault extends Construct {
  readonly vault: BackupVault;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: LockedVaultProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `docflow ${props.stage}: ${props.keyDescription}`,
      alias: props.keyAlias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    protectKey(this.key, props.guard);
    const lockConfiguration: LockConfiguration = {
      minRetention: props.minRetention,
      maxRetention: props.maxRetention,
      // Without changeableFor the lock stays in governance mode.
      changeableFor: props.lock === 'compliance' ? VAULT_LOCK_GRACE : undefined,
    };
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      encryptionKey: this.key,
      lockConfiguration,
      blockRecoveryPointDeletion: true,
      // Named: deleted if the stack's first creation rolls back (it is empty then), so a retry can reuse
      // the name; kept on every later update or deletion.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }
}

export interface TableBackupsProps {
  readonly stage: string;
  readonly tables: readonly ITableV2[];
  readonly guard: KeyGuard;
  readonly lock: 'compliance' | 'governance';
  /** Days daily backups are kept. */
  readonly dailyRetentionDays: number;
  /** Years monthly backups are kept: the records' retention. */
  readonly monthlyRetentionYears: number;
  /** The locked vault in the second region (or account) every backup is copied to, if any. */
  readonly copyTo?: IBackupVault;
}

/**
 * AWS Backup for the tables, beside their own point-in-time recovery (35 days): a daily backup kept
 * `dailyRetentionDays`, a monthly one kept for the records' retention, both in a locked vault and both
 * copied to the second region's locked vault. The circulation log is the truth of every document: its
 * backups must outlive a deleted table, a lost key policy and a lost region.
 */
export class TableBackups extends Construct {
  readonly vault: LockedVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupsProps) {
    super(scope, id);
    const daily = Duration.days(props.dailyRetentionDays);
    // AWS Backup's longest retention is 100 years of 365 days.
    const monthly = Duration.days(Math.min(36_500, daysInYears(props.monthlyRetentionYears)));
    const retention = {
      minRetention: Duration.days(Math.min(7, props.dailyRetentionDays)),
      maxRetention: monthly,
    };
    this.vault = new LockedVault(this, 'Locked', {
      stage: props.stage,
      vaultName: backupVaultName(props.stage),
      keyAlias: `alias/docflow/${props.stage}/backup`,
      keyDescription: 'table backups (AWS Backup vault)',
      guard: props.guard,
      lock: props.lock,
      ...retention,
    });
    const copy = (deleteAfter: Duration) =>
      props.copyTo ? [{ destinationBackupVault: props.copyTo, deleteAfter }] : undefined;
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `docflow-${props.stage}-tables`,
      backupVault: this.vault.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          // 02:00 in Hà Nội (UTC+7), when nobody signs.
          scheduleExpression: Schedule.cron({ hour: '19', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(6),
          deleteAfter: daily,
          copyActions: copy(daily),
        }),
        new BackupPlanRule({
          ruleName: 'monthly',
          scheduleExpression: Schedule.cron({ day: '1', hour: '20', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(6),
          deleteAfter: monthly,
          copyActions: copy(monthly),
        }),
      ],
    });
    const selection = this.plan.addSelection('Tables', {
      backupSelectionName: `docflow-${props.stage}-tables`,
      resources: props.tables.map((table) => BackupResource.fromArn(table.tableArn)),
      // The role may also restore: the rehearsal (ops/restore-rehearsal.ts) restores into new tables.
      allowRestores: true,
    });
    const role = selection.node.tryFindChild('Role');
    if (role) {
      for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
          reason: `AWS Backup's own service-role policy (${policy}) is what AWS documents for a selection's role; it acts only on the resources the selection names`,
        });
      }
    }
  }
}
