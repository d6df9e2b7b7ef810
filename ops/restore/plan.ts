import { isDeepStrictEqual } from 'node:util';

/*
 * The pure part of the restore rehearsal (ops/restore-rehearsal.ts): which recovery point of each table to
 * restore, under which name, which archive objects to compare with their replicas, and what the results
 * say. No AWS call here, so all of it is tested offline (test/unit/restore-plan.test.ts).
 */

/** A recovery point as AWS Backup lists it (ListRecoveryPointsByBackupVault), the fields used here. */
export interface RecoveryPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly status: string;
  readonly creationDate: Date;
}

export interface TableRestore {
  /** The table backed up (its ARN and name). */
  readonly sourceArn: string;
  readonly sourceName: string;
  readonly recoveryPoint: RecoveryPoint;
  /** A new table: a rehearsal never restores over a live one. */
  readonly targetName: string;
}

export interface RehearsalPlan {
  readonly restores: readonly TableRestore[];
  /** Tables whose newest completed backup is older than the limit, or that have none. */
  readonly problems: readonly string[];
}

/** A table's name from its ARN (`arn:aws:dynamodb:<region>:<account>:table/<name>`). */
export function tableName(arn: string): string {
  const name = /:table\/([^/]+)$/.exec(arn)?.[1];
  if (!name) throw new Error(`not a DynamoDB table ARN: ${arn}`);
  return name;
}

/** `YYYYMMDDHHmm` in UTC: part of restored tables' names, so each rehearsal's are new and sortable. */
export const stamp = (date: Date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 12);

/** DynamoDB table names are at most 255 characters of `[A-Za-z0-9_.-]`. */
export function rehearsalTableName(source: string, at: Date): string {
  const suffix = `-rehearsal-${stamp(at)}`;
  return `${source.slice(0, 255 - suffix.length)}${suffix}`;
}

/**
 * The newest completed recovery point of each of `tables` (ARNs), to restore under a new name. A table
 * without one, or whose newest is older than `maxAgeHours`, is a problem: its backups are not running.
 */
export function planRehearsal(
  points: readonly RecoveryPoint[],
  tables: readonly string[],
  now: Date,
  maxAgeHours = 48,
): RehearsalPlan {
  const restores: TableRestore[] = [];
  const problems: string[] = [];
  for (const table of tables) {
    const newest = points
      .filter((p) => p.resourceArn === table && p.resourceType === 'DynamoDB' && p.status === 'COMPLETED')
      .sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime())[0];
    const name = tableName(table);
    if (!newest) {
      problems.push(`${name}: no completed backup in the vault`);
      continue;
    }
    const ageHours = (now.getTime() - newest.creationDate.getTime()) / 3_600_000;
    if (ageHours > maxAgeHours) {
      problems.push(
        `${name}: newest completed backup is ${Math.floor(ageHours)} h old (limit ${maxAgeHours} h)`,
      );
    }
    restores.push({
      sourceArn: table,
      sourceName: name,
      recoveryPoint: newest,
      targetName: rehearsalTableName(name, now),
    });
  }
  return { restores, problems };
}

/**
 * The copies in the second region's vault: each table needs a completed one no older than `maxAgeHours`
 * (a copy follows its backup by minutes to hours).
 */
export function checkCopies(
  copies: readonly RecoveryPoint[],
  tables: readonly string[],
  now: Date,
  maxAgeHours = 72,
): string[] {
  const problems: string[] = [];
  for (const table of tables) {
    const newest = copies
      .filter((p) => p.resourceArn === table && p.status === 'COMPLETED')
      .sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime())[0];
    const name = tableName(table);
    if (!newest) problems.push(`${name}: no completed copy in the recovery vault`);
    else if ((now.getTime() - newest.creationDate.getTime()) / 3_600_000 > maxAgeHours) {
      problems.push(`${name}: newest copy in the recovery vault is older than ${maxAgeHours} h`);
    }
  }
  return problems;
}

/**
 * `count` keys spread evenly over `keys` (sorted), so a rehearsal checks old and new objects alike, and
 * two runs over the same archive check the same ones (comparable reports).
 */
export function spreadSample<T>(keys: readonly T[], count: number): T[] {
  if (count <= 0 || keys.length === 0) return [];
  if (keys.length <= count) return [...keys];
  const step = keys.length / count;
  return Array.from({ length: count }, (_, i) => keys[Math.floor(i * step)] as T);
}

/** An archive object version, and what the replica bucket holds for the same key and version. */
export interface ReplicaComparison {
  readonly key: string;
  readonly versionId: string | undefined;
  /** The SHA-256 the key names (`…/<sha256>.pdf`), the one the log records. */
  readonly expectedSha256: string | undefined;
  readonly source: { readonly sha256?: string; readonly retainUntil?: Date } | undefined;
  readonly replica: { readonly sha256?: string; readonly retainUntil?: Date } | undefined;
}

/** The SHA-256 an archive key names: documents/<id>/<sha256>.pdf, signature-images/<person>/<sha256>.png. */
export function sha256OfKey(key: string): string | undefined {
  return /\/([0-9a-f]{64})\.[a-z]+$/.exec(key)?.[1];
}

/** What is wrong with one object's replica, if anything. */
export function replicaProblem(c: ReplicaComparison): string | undefined {
  const where = `${c.key}${c.versionId ? ` (version ${c.versionId})` : ''}`;
  if (!c.source) return `${where}: gone from the archive`;
  if (!c.replica) return `${where}: no replica`;
  if (c.expectedSha256 && c.source.sha256 && c.source.sha256 !== c.expectedSha256) {
    return `${where}: the archive's copy is not the hash its key names`;
  }
  if (c.replica.sha256 !== (c.expectedSha256 ?? c.source.sha256))
    return `${where}: the replica's bytes differ`;
  if (!c.replica.retainUntil || (c.source.retainUntil && c.replica.retainUntil < c.source.retainUntil)) {
    return `${where}: the replica is not locked as long as the original`;
  }
  return undefined;
}

/**
 * Items of a restored table against the live table: `pairs` are [restored, live] by key. An append-only
 * table (the circulation log) must match exactly; others may have changed since the backup, so only a
 * vanished item counts there.
 */
export function itemProblems(
  table: string,
  pairs: readonly (readonly [Record<string, unknown>, Record<string, unknown> | undefined])[],
  appendOnly: boolean,
): string[] {
  const problems: string[] = [];
  for (const [restored, live] of pairs) {
    if (!live) {
      if (appendOnly) problems.push(`${table}: an event in the backup is missing from the live log`);
      continue;
    }
    if (appendOnly && !isDeepStrictEqual(restored, live)) {
      problems.push(`${table}: an event differs between the backup and the live log`);
    }
  }
  return problems;
}
