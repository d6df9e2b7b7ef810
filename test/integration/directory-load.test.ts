import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { officialCredential, revocations } from '../../lambdas/adapters/city-pki';
import { parseCertificate } from '../../lambdas/core/pki/certificate';
import { applyDirectoryPlan, planDirectoryLoad, readDirectoryData } from '../../ops/directory/load';
import { parsePeopleCsv } from '../../ops/directory/people-csv';
import { countSteps } from '../../ops/directory/plan';
import { api, login, stack, stateFingerprint } from '../support/api';
import { get, toSign } from '../support/flow';
import { tempDir } from '../support/pdf-tools';

/*
 * `npm run directory:load` against the local stack: the command itself (with --skip-users: Cognito is the
 * deployed-only step, its plan is unit-tested) and its core, on DynamoDB Local, seen through the API. The
 * people are the documented example (docs/examples/people.csv), in organisations no other test uses.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..');
const exampleCsv = readFileSync(join(repoRoot, 'docs', 'examples', 'people.csv'), 'utf8');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The command as an operator runs it, with the stage's environment as the Lambdas get it. */
function directoryLoad(csv: string, ...flags: string[]): Run {
  const file = join(tempDir(), 'people.csv');
  writeFileSync(file, csv);
  const run = spawnSync(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['ops/directory-load.ts', '--stage', 'local', '--people', file, '--skip-users', ...flags],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...stack().environment }, timeout: 60_000 },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface PersonSummary {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly role: string;
  readonly orgId: string;
}

async function peopleOf(orgId: string): Promise<PersonSummary[]> {
  const response = await api<PersonSummary[]>('GET', `/api/people?orgId=${orgId}`, {
    token: await login('city-auditor'),
  });
  expect(response.status).toBe(200);
  return response.body;
}

async function load(csv: string) {
  const directory = await readDirectoryData();
  const parsed = parsePeopleCsv(csv, directory);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const plan = await planDirectoryLoad({
    organisations: directory.organisations,
    people: parsed.rows.map((r) => r.person),
  });
  return { plan, applied: await applyDirectoryPlan(plan) };
}

/**
 * A request after a command run: spawnSync held this process while the gateway closed its idle keep-alive
 * connection, which the next fetch may still pick (and fail on, "other side closed"); one retry reconnects.
 */
async function reconnect(): Promise<void> {
  await api('GET', '/api/health').catch(() => api('GET', '/api/health'));
}

describe('loading the directory into a stage', () => {
  beforeAll(() => {
    // The core runs in this process against the stack's tables, as a Lambda would.
    Object.assign(process.env, stack().environment);
  });

  it('refuses a CSV with bad rows, naming each line, and writes nothing', async () => {
    const before = await stateFingerprint();
    const bad = exampleCsv
      .replace(
        'cau-giay-clerk,Phạm Thị Dung,phuong-cau-giay,clerk',
        'cau-giay-clerk,Phạm Thị Dung,phuong-cau-giayy,clerk',
      )
      .replace(
        'sxd-director,Hoàng Minh Đức,so-xay-dung,leader,head',
        'sxd-director,Hoàng Minh Đức,so-xay-dung,leader,',
      );
    const run = directoryLoad(bad);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      'people.csv line 5, org_id: no organisation "phuong-cau-giayy" in the directory',
    );
    expect(run.stderr).toContain('people.csv line 6, rank: a leader has a rank');
    expect(run.stderr).toContain('2 problem(s)');
    expect(run.stderr).toContain('nothing was written');
    expect(run.stdout).toBe('');
    expect(await stateFingerprint()).toBe(before);
  });

  it('prints the plan with --dry-run and writes nothing', async () => {
    const before = await stateFingerprint();
    const run = directoryLoad(exampleCsv, '--dry-run');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('organisations: 0 to create, 0 to update, 142 unchanged');
    expect(run.stdout).toContain('people: 7 to create, 0 to update, 0 unchanged');
    expect(run.stdout).toContain(
      '  + cau-giay-chairman (Nguyễn Đức Anh, leader head "Chủ tịch" in phuong-cau-giay)',
    );
    expect(run.stdout).toContain('dry run: nothing was written.');
    expect(await stateFingerprint()).toBe(before);
    expect(await peopleOf('phuong-cau-giay')).toEqual([]);
  });

  it('loads the people, who are then in the API, and a second run writes nothing', async () => {
    const first = await load(exampleCsv);
    expect(countSteps(first.plan.people)).toEqual({ create: 7, update: 0, unchanged: 0 });
    expect(countSteps(first.plan.organisations)).toEqual({ create: 0, update: 0, unchanged: 142 });
    // The demo people of the seed are not in this CSV: they stay as they are.
    expect(first.plan.untouched.people).toContain('city-admin');

    // Sorted by name as the API sorts them (Vietnamese collation).
    expect(await peopleOf('phuong-cau-giay')).toEqual([
      expect.objectContaining({ id: 'cau-giay-specialist', role: 'specialist', title: 'Chuyên viên' }),
      expect.objectContaining({ id: 'cau-giay-chairman', role: 'leader', title: 'Chủ tịch' }),
      expect.objectContaining({
        id: 'cau-giay-clerk',
        name: 'Phạm Thị Dung',
        role: 'clerk',
        title: 'Văn thư',
      }),
      expect.objectContaining({ id: 'cau-giay-vice-chairman', role: 'leader', title: 'Phó Chủ tịch' }),
    ]);
    const me = await api<Record<string, unknown>>('GET', '/api/me', {
      token: await login('sxd-deputy-director'),
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: 'sxd-deputy-director',
      position: { title: 'Phó Giám đốc, phụ trách quy hoạch', rank: 'deputy' },
      organisation: { id: 'so-xay-dung' },
    });

    const before = await stateFingerprint();
    const second = await load(exampleCsv);
    expect(countSteps(second.plan.people)).toEqual({ create: 0, update: 0, unchanged: 7 });
    const again = directoryLoad(exampleCsv);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect(await stateFingerprint()).toBe(before);
  });

  it('updates a changed row, reports the change, and revokes the certificate of a person who moved', async () => {
    const directory = await readDirectoryData();
    const clerk = { id: 'sxd-clerk', name: 'Đỗ Văn Khánh' };
    const credential = await officialCredential(
      { ...clerk, position: { orgId: 'so-xay-dung', role: 'clerk', title: 'Văn thư' } },
      directory.get('so-xay-dung'),
    );
    const serial = parseCertificate(credential.certificateChain[0] ?? new Uint8Array()).serial;

    const changed = exampleCsv
      .replace('cau-giay-specialist,Lê Văn Cường', 'cau-giay-specialist,Lê Văn Cường Anh')
      .replace('sxd-clerk,Đỗ Văn Khánh,so-xay-dung', 'sxd-clerk,Đỗ Văn Khánh,so-y-te');
    const run = directoryLoad(changed);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('people: 0 to create, 2 to update, 5 unchanged');
    expect(run.stdout).toContain('  ~ cau-giay-specialist: name "Lê Văn Cường" → "Lê Văn Cường Anh"');
    expect(run.stdout).toContain(
      '  ~ sxd-clerk: position.orgId "so-xay-dung" → "so-y-te" [position changed: certificate revoked]',
    );
    expect(run.stdout).toContain(`revoked certificate ${serial} of sxd-clerk (position changed)`);
    expect((await revocations()).entries.map((e) => e.serial)).toContain(serial.toLowerCase());

    expect((await peopleOf('so-y-te')).map((p) => p.id)).toEqual(['sxd-clerk']);
    expect((await peopleOf('so-xay-dung')).map((p) => p.id).sort()).toEqual([
      'sxd-deputy-director',
      'sxd-director',
    ]);
    expect((await peopleOf('phuong-cau-giay')).find((p) => p.id === 'cau-giay-specialist')?.name).toBe(
      'Lê Văn Cường Anh',
    );
    const settled = directoryLoad(changed);
    expect(settled.stdout).toContain('nothing to do');
  });

  it('reports a departure in a dry run, then records it: pending work to the successor, sign-in gone', async () => {
    await reconnect();
    // After the change above: the specialist renamed, the construction clerk at the health department.
    const current = exampleCsv
      .replace('cau-giay-specialist,Lê Văn Cường', 'cau-giay-specialist,Lê Văn Cường Anh')
      .replace('sxd-clerk,Đỗ Văn Khánh,so-xay-dung', 'sxd-clerk,Đỗ Văn Khánh,so-y-te');
    const draft = await toSign({
      drafter: 'cau-giay-specialist',
      approver: 'cau-giay-chairman',
      signer: 'cau-giay-vice-chairman',
    });
    const leaving = current
      .split('\n')
      .map((line, k) =>
        k === 0
          ? `${line},left_on,successor_id`
          : line === ''
            ? line
            : line.startsWith('cau-giay-vice-chairman,')
              ? `${line},2026-12-01,cau-giay-chairman`
              : `${line},,`,
      )
      .join('\n');

    const dry = directoryLoad(leaving, '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('departures: 1 to record, 0 already recorded');
    expect(dry.stdout).toContain(
      '  - cau-giay-vice-chairman (left on 2026-12-01): sign-in disabled, certificate revoked, pending work to cau-giay-chairman',
    );
    expect(dry.stdout).toContain('dry run: nothing was written.');
    // (The state fingerprint would see the draft's notifications still being written: asked directly.)
    await reconnect();
    const token = await login('cau-giay-vice-chairman');
    expect((await api('GET', '/api/me', { token })).status).toBe(200);
    const untouched = await get('cau-giay-chairman', `/api/documents/${draft}`);
    expect(untouched.document.designatedSignerId).toBe('cau-giay-vice-chairman');

    const run = directoryLoad(leaving);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'cau-giay-vice-chairman left: sign-in disabled, 1 pending document(s) handed to cau-giay-chairman',
    );
    expect((await api('GET', '/api/me', { token })).status).toBe(401);
    expect((await api('POST', '/api/dev/login', { body: { userId: 'cau-giay-vice-chairman' } })).status).toBe(
      404,
    );
    const view = await get('cau-giay-chairman', `/api/documents/${draft}`);
    expect(view.document.designatedSignerId).toBe('cau-giay-chairman');
    const log = await get('city-admin', '/api/administration-log');
    expect(log.entries.at(-1)).toMatchObject({
      type: 'person-departed',
      by: 'directory-load',
      personId: 'cau-giay-vice-chairman',
      successorId: 'cau-giay-chairman',
      handedOver: [draft],
    });

    const settled = directoryLoad(leaving);
    expect(settled.status, settled.stderr).toBe(0);
    expect(settled.stdout).toContain('departures: 0 to record, 1 already recorded');
    expect(settled.stdout).toContain('nothing to do');
  });

  it('does not overwrite a change made through the API after the plan was made', async () => {
    const directory = await readDirectoryData();
    const renamed = exampleCsv
      .replace('cau-giay-specialist,Lê Văn Cường', 'cau-giay-specialist,Lê Văn Cường Bình')
      .replace('sxd-clerk,Đỗ Văn Khánh,so-xay-dung', 'sxd-clerk,Đỗ Văn Khánh,so-y-te');
    const parsed = parsePeopleCsv(renamed, directory);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const plan = await planDirectoryLoad({
      organisations: directory.organisations,
      people: parsed.rows.map((r) => r.person).filter((p) => p.id !== 'cau-giay-vice-chairman'),
    });
    expect(plan.people.find((s) => s.id === 'cau-giay-specialist')?.kind).toBe('update');
    // Meanwhile an administrator moves the specialist to another unit.
    const moved = await api('PUT', '/api/people/cau-giay-specialist/position', {
      token: await login('city-admin'),
      body: { orgId: 'phuong-cau-giay', role: 'specialist', title: 'Chuyên viên', unitCode: 'KT' },
    });
    expect(moved.status).toBe(200);
    const applied = await applyDirectoryPlan(plan);
    expect(applied.changedMeanwhile).toEqual(['cau-giay-specialist']);
    const specialist = (await peopleOf('phuong-cau-giay')).find((p) => p.id === 'cau-giay-specialist');
    expect(specialist).toMatchObject({ name: 'Lê Văn Cường Anh', unitCode: 'KT' });
  });
});
