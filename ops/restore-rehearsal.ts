import { parseArgs } from 'node:util';
import {
  BackupClient,
  DescribeBackupVaultCommand,
  DescribeRestoreJobCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  paginateListRecoveryPointsByBackupVault,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { tables as tableSpecs } from '../lambdas/deployment/resources';
import { StageSchema } from '../lib/config';
import { bucketName } from '../lib/constructs/document-buckets';
import { backupVaultName, recoveryNames } from '../lib/recovery';
import {
  checkCopies,
  itemProblems,
  planRehearsal,
  type RecoveryPoint,
  type ReplicaComparison,
  replicaProblem,
  sha256OfKey,
  spreadSample,
  tableName,
} from './restore/plan';

/*
 * npm run restore:rehearse: proves, against a deployed stage, that what docs/DEPLOY.md promises can be
 * restored: each table's newest backup in the locked vault is restored into a new table and compared with
 * the live one (the circulation log event by event), the second region's vault holds a recent copy of
 * each, and sampled archive objects have replicas with the same bytes and at least the same lock. The
 * restored tables are deleted afterwards (--keep leaves them). With --dry-run it only reads: it lists
 * what it would restore and compare, and checks the copies and replicas.
 * Exit codes: 0 all checks passed; 1 a check failed; 2 could not run (usage, AWS error).
 */

const USAGE = `Usage: npm run restore:rehearse -- --stage <stage> [--region <region>] [--recovery-region <region>]
         [--recovery-account <account>] [--samples <n>] [--dry-run] [--keep]

  --stage             the stage (dev, prod…) whose backups are rehearsed
  --region            the stage's region (default: the SDK's, e.g. AWS_REGION)
  --recovery-region   the stage's drRegion: check the backup copies and archive replicas there
  --recovery-account  the stage's drAccount, if the copies live in another account
  --samples           archive objects and log events to compare (default 20)
  --dry-run           read only: plan the restores, check copies and replicas, restore nothing
  --keep              leave the restored tables (named <table>-rehearsal-<UTC time>) for inspection
Exit: 0 every check passed, 1 a check failed, 2 could not run.`;

class UsageError extends Error {}

interface Options {
  readonly stage: string;
  readonly region?: string;
  readonly recoveryRegion?: string;
  readonly recoveryAccount?: string;
  readonly samples: number;
  readonly dryRun: boolean;
  readonly keep: boolean;
}

export function parseOptions(argv: readonly string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        'recovery-region': { type: 'string' },
        'recovery-account': { type: 'string' },
        samples: { type: 'string', default: '20' },
        'dry-run': { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  const stage = StageSchema.safeParse(values.stage);
  if (!stage.success) throw new UsageError('--stage is required (2–12 lower-case letters, digits or dashes)');
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 1000)
    throw new UsageError('--samples: 1 to 1000');
  const recoveryAccount = values['recovery-account'];
  if (typeof recoveryAccount === 'string' && !/^\d{12}$/.test(recoveryAccount)) {
    throw new UsageError('--recovery-account: a 12-digit account id');
  }
  return {
    stage: stage.data,
    region: typeof values.region === 'string' ? values.region : undefined,
    recoveryRegion: typeof values['recovery-region'] === 'string' ? values['recovery-region'] : undefined,
    recoveryAccount: typeof recoveryAccount === 'string' ? recoveryAccount : undefined,
    samples,
    dryRun: values['dry-run'] === true,
    keep: values.keep === true,
  };
}

const log = (line: string) => console.log(line);

async function recoveryPoints(backup: BackupClient, vault: string): Promise<RecoveryPoint[]> {
  const points: RecoveryPoint[] = [];
  for await (const page of paginateListRecoveryPointsByBackupVault(
    { client: backup },
    { BackupVaultName: vault },
  )) {
    for (const p of page.RecoveryPoints ?? []) {
      if (!p.RecoveryPointArn || !p.ResourceArn || !p.CreationDate) continue;
      points.push({
        recoveryPointArn: p.RecoveryPointArn,
        resourceArn: p.ResourceArn,
        resourceType: p.ResourceType ?? '',
        status: p.Status ?? '',
        creationDate: p.CreationDate,
      });
    }
  }
  return points;
}

/** The role the stage's backup selection uses; it may also restore (lib/constructs/table-backups.ts). */
async function backupRole(backup: BackupClient, stage: string): Promise<string> {
  const plans = await backup.send(new ListBackupPlansCommand({}));
  const plan = plans.BackupPlansList?.find((p) => p.BackupPlanName === `docflow-${stage}-tables`);
  if (!plan?.BackupPlanId) throw new Error(`no backup plan docflow-${stage}-tables`);
  const selections = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: plan.BackupPlanId }));
  const role = selections.BackupSelectionsList?.[0]?.IamRoleArn;
  if (!role) throw new Error(`the backup plan docflow-${stage}-tables has no selection`);
  return role;
}

async function waitForRestore(backup: BackupClient, jobId: string, timeoutMinutes = 120): Promise<string> {
  const deadline = Date.now() + timeoutMinutes * 60_000;
  for (;;) {
    const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
    if (job.Status === 'COMPLETED') return job.CreatedResourceArn ?? '';
    if (job.Status === 'FAILED' || job.Status === 'ABORTED') {
      throw new Error(`restore job ${jobId} ${job.Status}: ${job.StatusMessage ?? ''}`);
    }
    if (Date.now() > deadline)
      throw new Error(`restore job ${jobId} still ${job.Status} after ${timeoutMinutes} min`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
}

/** Samples items of the restored table and reads the same keys from the live one. */
async function compareItems(
  dynamo: DynamoDBClient,
  restored: string,
  live: string,
  samples: number,
  appendOnly: boolean,
): Promise<string[]> {
  const description = await dynamo.send(new DescribeTableCommand({ TableName: live }));
  const keyNames = (description.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? '');
  const scan = await dynamo.send(
    new ScanCommand({ TableName: restored, Limit: samples, ConsistentRead: true }),
  );
  const pairs: [Record<string, unknown>, Record<string, unknown> | undefined][] = [];
  for (const item of scan.Items ?? []) {
    const key = Object.fromEntries(keyNames.map((name) => [name, item[name]]));
    const current = await dynamo.send(
      new GetItemCommand({ TableName: live, Key: key as never, ConsistentRead: true }),
    );
    pairs.push([item, current.Item]);
  }
  log(`    compared ${pairs.length} item(s) of ${restored} with ${live}`);
  return itemProblems(live, pairs, appendOnly);
}

async function compareReplicas(options: Options, account: string, region: string): Promise<string[]> {
  if (!options.recoveryRegion) return [];
  const source = new S3Client({ region });
  const replica = new S3Client({ region: options.recoveryRegion });
  const archive = bucketName(options.stage, 'archive', account, region);
  const names = recoveryNames(options.stage, {
    account: options.recoveryAccount ?? account,
    region: options.recoveryRegion,
  });
  const versions: { key: string; versionId?: string }[] = [];
  let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await source.send(new ListObjectVersionsCommand({ Bucket: archive, ...marker }));
    for (const v of page.Versions ?? []) if (v.Key) versions.push({ key: v.Key, versionId: v.VersionId });
    if (!page.IsTruncated) break;
    marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
  versions.sort((a, b) => a.key.localeCompare(b.key));
  const sample = spreadSample(versions, options.samples);
  log(
    `  archive: ${versions.length} object version(s); comparing ${sample.length} with ${names.replicaBucket}`,
  );
  const look = async (client: S3Client, bucket: string, key: string, versionId?: string) => {
    try {
      const head = await client.send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }),
      );
      const sha = head.ChecksumSHA256
        ? Buffer.from(head.ChecksumSHA256, 'base64').toString('hex')
        : head.Metadata?.sha256;
      return { sha256: sha, retainUntil: head.ObjectLockRetainUntilDate };
    } catch (error) {
      if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  };
  const problems: string[] = [];
  for (const { key, versionId } of sample) {
    // Replication keeps the version id: the replica of a version has the same one.
    const comparison: ReplicaComparison = {
      key,
      versionId,
      expectedSha256: sha256OfKey(key),
      source: await look(source, archive, key, versionId),
      replica: await look(replica, names.replicaBucket, key, versionId),
    };
    const problem = replicaProblem(comparison);
    if (problem) problems.push(problem);
  }
  return problems;
}

export async function rehearse(options: Options, now = new Date()): Promise<string[]> {
  const backup = new BackupClient({ region: options.region });
  const dynamo = new DynamoDBClient({ region: options.region });
  const vault = backupVaultName(options.stage);
  const described = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
  const vaultArn = described.BackupVaultArn ?? '';
  const [, , , region = '', account = ''] = vaultArn.split(':');
  log(
    `stage ${options.stage}: vault ${vault} (${region}, account ${account}), lock ${described.Locked ? 'on' : 'OFF'}`,
  );
  const problems: string[] = described.Locked ? [] : [`${vault}: Vault Lock is not in effect`];

  // The stage's tables are those its vault holds backups of: Docflow-<stage>-Data<Id>… (lambdas/deployment/resources.ts).
  const points = await recoveryPoints(backup, vault);
  const prefixes = Object.values(tableSpecs).map((spec) => `Docflow-${options.stage}-Data${spec.id}`);
  const tables = [...new Set(points.map((p) => p.resourceArn))].filter((arn) => {
    try {
      return prefixes.some((prefix) => tableName(arn).startsWith(prefix));
    } catch {
      return false;
    }
  });
  for (const prefix of prefixes) {
    if (!tables.some((arn) => tableName(arn).startsWith(prefix)))
      problems.push(`${prefix}…: no backup in ${vault}`);
  }
  const plan = planRehearsal(points, tables, now);
  problems.push(...plan.problems);
  for (const r of plan.restores) {
    log(`  ${r.sourceName}: restore ${r.recoveryPoint.creationDate.toISOString()} → ${r.targetName}`);
  }

  if (options.recoveryRegion) {
    const recoveryAccount = options.recoveryAccount ?? account;
    const names = recoveryNames(options.stage, { account: recoveryAccount, region: options.recoveryRegion });
    const copies = await recoveryPoints(
      new BackupClient({ region: options.recoveryRegion }),
      names.copyVault,
    );
    const copyProblems = checkCopies(copies, tables, now);
    log(`  ${names.copyVault} (${options.recoveryRegion}): ${copies.length} recovery point(s)`);
    problems.push(...copyProblems);
    problems.push(...(await compareReplicas(options, account, region)));
  } else {
    log('  no --recovery-region: copies and replicas not checked');
  }

  if (options.dryRun) {
    log('dry run: nothing restored');
    return problems;
  }

  const role = await backupRole(backup, options.stage);
  const dataKey = await new KMSClient({ region: options.region }).send(
    new DescribeKeyCommand({ KeyId: `alias/docflow/${options.stage}/data` }),
  );
  const logPrefix = `Docflow-${options.stage}-Data${tableSpecs.log.id}`;
  for (const restore of plan.restores) {
    log(`  restoring ${restore.sourceName} into ${restore.targetName}…`);
    const job = await backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: restore.recoveryPoint.recoveryPointArn,
        IamRoleArn: role,
        ResourceType: 'DynamoDB',
        // Restored under the data key, like the live tables.
        Metadata: {
          targetTableName: restore.targetName,
          encryptionType: 'KMS',
          kmsMasterKeyArn: dataKey.KeyMetadata?.Arn ?? '',
        },
      }),
    );
    try {
      await waitForRestore(backup, job.RestoreJobId ?? '');
      problems.push(
        ...(await compareItems(
          dynamo,
          restore.targetName,
          restore.sourceName,
          options.samples,
          restore.sourceName.startsWith(logPrefix),
        )),
      );
    } catch (error) {
      problems.push(`${restore.sourceName}: ${(error as Error).message}`);
    } finally {
      if (!options.keep) {
        await dynamo.send(new DeleteTableCommand({ TableName: restore.targetName })).catch(() => undefined);
      }
    }
  }
  return problems;
}

export async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message ? `${error.message}\n\n` : ''}${USAGE}`);
    return 2;
  }
  try {
    const problems = await rehearse(options);
    if (problems.length === 0) {
      log('every check passed');
      return 0;
    }
    for (const problem of problems) console.error(`✖ ${problem}`);
    return 1;
  } catch (error) {
    console.error(`could not run: ${(error as Error).message}`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
