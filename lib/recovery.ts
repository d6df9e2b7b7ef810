import { bucketName } from './constructs/document-buckets';

/*
 * Names shared by a stage's main stack and its recovery stack (the second region, or account): the main
 * stack replicates the archive and copies table backups into resources it cannot reference by token, as
 * they live in another region. Both stacks derive the same names from these functions.
 */

/** Where the copies of a stage live. */
export interface RecoveryTarget {
  readonly account: string;
  readonly region: string;
}

export interface RecoveryNames {
  /** The archive's replica: the same Object Lock, its own key. */
  readonly replicaBucket: string;
  readonly replicaKeyAlias: string;
  /** The locked vault that receives copies of the table backups. */
  readonly copyVault: string;
  readonly copyKeyAlias: string;
}

export function recoveryNames(stage: string, target: RecoveryTarget): RecoveryNames {
  return {
    replicaBucket: bucketName(stage, 'archive-dr', target.account, target.region),
    replicaKeyAlias: `alias/docflow/${stage}/archive-replica`,
    copyVault: `docflow-${stage}-tables-copy`,
    copyKeyAlias: `alias/docflow/${stage}/backup-copy`,
  };
}

/** The vault of the table backups in the stage's own region. */
export const backupVaultName = (stage: string) => `docflow-${stage}-tables`;

/**
 * The role S3 replicates the archive with. A fixed name, so a recovery stack in another account can name it
 * in its bucket and key policies before the role exists.
 */
export const replicationRoleName = (stage: string) => `docflow-${stage}-archive-replication`;

/** The replication rule's id, also a dimension of its CloudWatch metrics. */
export const REPLICATION_RULE_ID = 'archive-to-recovery';

/** Days in `years` years, leap days included, for retention periods AWS Backup takes in days. */
export const daysInYears = (years: number) => Math.ceil(years * 366);
