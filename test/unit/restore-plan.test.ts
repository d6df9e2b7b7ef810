import { describe, expect, it } from 'vitest';
import {
  checkCopies,
  itemProblems,
  planRehearsal,
  type RecoveryPoint,
  rehearsalTableName,
  replicaProblem,
  sha256OfKey,
  spreadSample,
  tableName,
} from '../../ops/restore/plan';
import { parseOptions } from '../../ops/restore-rehearsal';

/*
 * The restore rehearsal's decisions, offline (the rehearsal itself needs a deployed stage: docs/DEPLOY.md,
 * "Rehearse a restore").
 */

const LOG = 'arn:aws:dynamodb:ap-southeast-1:111122223333:table/Docflow-prod-DataCirculationLog70EF-1AB2';
const VIEWS = 'arn:aws:dynamodb:ap-southeast-1:111122223333:table/Docflow-prod-DataViewsF5DC-3CD4';
const NOW = new Date('2026-03-10T03:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const point = (resourceArn: string, h: number, status = 'COMPLETED'): RecoveryPoint => ({
  recoveryPointArn: `arn:aws:backup:ap-southeast-1:111122223333:recovery-point:${resourceArn.slice(-4)}-${h}`,
  resourceArn,
  resourceType: 'DynamoDB',
  status,
  creationDate: hoursAgo(h),
});
const SHA = 'a'.repeat(64);

describe('restore rehearsal plan', () => {
  it('restores each table’s newest completed backup into a new, dated table', () => {
    const plan = planRehearsal(
      [point(LOG, 30), point(LOG, 6), point(LOG, 1, 'RUNNING'), point(VIEWS, 8)],
      [LOG, VIEWS],
      NOW,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.restores.map((r) => [r.sourceName, r.recoveryPoint.creationDate, r.targetName])).toEqual([
      [
        'Docflow-prod-DataCirculationLog70EF-1AB2',
        hoursAgo(6),
        'Docflow-prod-DataCirculationLog70EF-1AB2-rehearsal-202603100300',
      ],
      [
        'Docflow-prod-DataViewsF5DC-3CD4',
        hoursAgo(8),
        'Docflow-prod-DataViewsF5DC-3CD4-rehearsal-202603100300',
      ],
    ]);
  });

  it('reports a table without a completed backup, or whose backups stopped', () => {
    const plan = planRehearsal([point(LOG, 50), point(VIEWS, 2, 'FAILED')], [LOG, VIEWS], NOW);
    expect(plan.problems).toEqual([
      'Docflow-prod-DataCirculationLog70EF-1AB2: newest completed backup is 50 h old (limit 48 h)',
      'Docflow-prod-DataViewsF5DC-3CD4: no completed backup in the vault',
    ]);
    // A stale backup is still rehearsed: it is what there is to restore.
    expect(plan.restores).toHaveLength(1);
  });

  it('requires a recent copy of each table in the recovery vault', () => {
    expect(checkCopies([point(LOG, 20), point(VIEWS, 100)], [LOG, VIEWS], NOW)).toEqual([
      'Docflow-prod-DataViewsF5DC-3CD4: newest copy in the recovery vault is older than 72 h',
    ]);
    expect(checkCopies([], [LOG], NOW)).toEqual([
      'Docflow-prod-DataCirculationLog70EF-1AB2: no completed copy in the recovery vault',
    ]);
  });

  it('names tables DynamoDB accepts, and reads names from ARNs', () => {
    expect(rehearsalTableName('x'.repeat(255), NOW)).toHaveLength(255);
    expect(tableName(LOG)).toBe('Docflow-prod-DataCirculationLog70EF-1AB2');
    expect(() => tableName('arn:aws:s3:::bucket')).toThrow(/not a DynamoDB table ARN/);
  });

  it('samples archive keys evenly and the same way every time', () => {
    const keys = Array.from({ length: 100 }, (_, i) => i);
    expect(spreadSample(keys, 4)).toEqual([0, 25, 50, 75]);
    expect(spreadSample(keys, 4)).toEqual(spreadSample(keys, 4));
    expect(spreadSample([1, 2], 5)).toEqual([1, 2]);
    expect(spreadSample(keys, 0)).toEqual([]);
  });

  it('reads the SHA-256 an archive key names', () => {
    expect(sha256OfKey(`documents/d-1/${SHA}.pdf`)).toBe(SHA);
    expect(sha256OfKey(`signature-images/city-chairman/${SHA}.png`)).toBe(SHA);
    expect(sha256OfKey('documents/d-1/draft.pdf')).toBeUndefined();
  });

  it('accepts a replica with the same bytes and at least the same lock, and names every other case', () => {
    const lock = new Date('2036-03-10T00:00:00Z');
    const good = {
      key: `documents/d-1/${SHA}.pdf`,
      versionId: 'v1',
      expectedSha256: SHA,
      source: { sha256: SHA, retainUntil: lock },
      replica: { sha256: SHA, retainUntil: lock },
    };
    expect(replicaProblem(good)).toBeUndefined();
    expect(replicaProblem({ ...good, replica: undefined })).toMatch(/no replica/);
    expect(replicaProblem({ ...good, source: undefined })).toMatch(/gone from the archive/);
    expect(replicaProblem({ ...good, replica: { sha256: 'b'.repeat(64), retainUntil: lock } })).toMatch(
      /bytes differ/,
    );
    expect(replicaProblem({ ...good, source: { sha256: 'c'.repeat(64), retainUntil: lock } })).toMatch(
      /not the hash its key names/,
    );
    expect(
      replicaProblem({ ...good, replica: { sha256: SHA, retainUntil: new Date('2030-01-01T00:00:00Z') } }),
    ).toMatch(/not locked as long/);
    expect(replicaProblem({ ...good, replica: { sha256: SHA } })).toMatch(/not locked/);
  });

  it('requires restored log events to equal the live ones; other tables may have moved on', () => {
    const event = { documentId: { S: 'd-1' }, seq: { N: '1' }, hash: { S: 'h1' } };
    expect(itemProblems('log', [[event, { ...event }]], true)).toEqual([]);
    expect(itemProblems('log', [[event, { ...event, hash: { S: 'forged' } }]], true)).toEqual([
      'log: an event differs between the backup and the live log',
    ]);
    expect(itemProblems('log', [[event, undefined]], true)).toEqual([
      'log: an event in the backup is missing from the live log',
    ]);
    expect(
      itemProblems(
        'views',
        [
          [event, { ...event, hash: { S: 'newer' } }],
          [event, undefined],
        ],
        false,
      ),
    ).toEqual([]);
  });
});

describe('restore rehearsal options', () => {
  it('needs a stage, and takes the rest as documented', () => {
    expect(
      parseOptions(['--stage', 'prod', '--recovery-region', 'ap-southeast-2', '--dry-run']),
    ).toMatchObject({
      stage: 'prod',
      recoveryRegion: 'ap-southeast-2',
      samples: 20,
      dryRun: true,
      keep: false,
    });
    expect(() => parseOptions([])).toThrow(/--stage/);
    expect(() => parseOptions(['--stage', 'prod', '--samples', '0'])).toThrow(/--samples/);
    expect(() => parseOptions(['--stage', 'prod', '--recovery-account', '12'])).toThrow(/12-digit/);
    expect(() => parseOptions(['--stage', 'prod', '--nope'])).toThrow();
  });
});
