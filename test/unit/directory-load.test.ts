import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Person, parseDirectory } from '../../lambdas/core/domain/directory';
import { formatRowError, type PersonRow, parsePeopleCsv } from '../../ops/directory/people-csv';
import { formatDirectoryPlan, movesPosition, planDirectory } from '../../ops/directory/plan';
import { pickDirectoryTable, pickUserPool } from '../../ops/directory/stage';
import {
  applyUsersPlan,
  creationAttributes,
  type PoolUser,
  planUsers,
  type UserPoolPort,
  type WantedUser,
  wantedUsers,
} from '../../ops/directory/users-plan';

/*
 * The pure parts of `npm run directory:load`: the people CSV, the directory plan and the Cognito plan.
 * The DynamoDB side runs against the local stack in test/integration/directory-load.test.ts.
 */

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const directory = parseDirectory(read('data/hanoi-units.csv'), read('data/hanoi-departments.csv'));
const exampleCsv = read('docs/examples/people.csv');
const HEADER = 'person_id,full_name,org_id,role,rank,title,unit_code,email';

function rowsOf(text: string): readonly PersonRow[] {
  const parsed = parsePeopleCsv(text, directory);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => formatRowError('test.csv', e)).join('\n'));
  return parsed.rows;
}

function errorsOf(text: string): string[] {
  const parsed = parsePeopleCsv(text, directory);
  if (parsed.ok) throw new Error('expected the CSV to be refused');
  return parsed.errors.map((e) => formatRowError('people.csv', e));
}

describe('the people CSV', () => {
  it('reads the documented example: usual titles filled in, given ones kept, e-mails lower-cased', () => {
    const rows = rowsOf(exampleCsv);
    expect(rows).toHaveLength(7);
    const chairman = rows.find((r) => r.person.id === 'cau-giay-chairman');
    expect(chairman).toEqual({
      line: 2,
      email: 'nguyen.duc.anh@cau-giay.example',
      person: {
        id: 'cau-giay-chairman',
        name: 'Nguyễn Đức Anh',
        position: { orgId: 'phuong-cau-giay', role: 'leader', title: 'Chủ tịch', rank: 'head' },
      },
    });
    expect(rows.find((r) => r.person.id === 'sxd-deputy-director')?.person.position.title).toBe(
      'Phó Giám đốc, phụ trách quy hoạch',
    );
    expect(rows.find((r) => r.person.id === 'cau-giay-specialist')?.person.position).toEqual({
      orgId: 'phuong-cau-giay',
      role: 'specialist',
      title: 'Chuyên viên',
      unitCode: 'VX',
    });
    const upper = rowsOf(`${HEADER}\nx-clerk,Ngô Văn X,so-y-te,clerk,,,,Ngo.Van.X@So-Y-Te.Example\n`);
    expect(upper[0]?.email).toBe('ngo.van.x@so-y-te.example');
  });

  it('accepts the columns in any order and leaves the optional ones out', () => {
    const rows = rowsOf('email,role,org_id,full_name,person_id\na@b.example,clerk,so-y-te,Lê A,a-clerk\n');
    expect(rows[0]?.person).toEqual({
      id: 'a-clerk',
      name: 'Lê A',
      position: { orgId: 'so-y-te', role: 'clerk', title: 'Văn thư' },
    });
  });

  it('reports every bad row with its line and column, counting blank lines and multi-line fields', () => {
    const text = [
      HEADER, // 1
      'ok-1,Nguyễn Văn A,so-y-te,specialist,,,,a@y-te.example', // 2
      '', // 3 (blank: skipped, still counted)
      'ok-1,Trần B,so-y-te,clerk,,,,b@y-te.example', // 4 duplicate id
      'c,Lê C,phuong-khong-co,clerk,,,,c@y-te.example', // 5 unknown organisation
      'd,Phạm D,so-y-te,leadr,,,,d@y-te.example', // 6 unknown role
      'e,Hoàng E,so-y-te,leader,,,,e@y-te.example', // 7 leader without rank
      'f,Vũ F,so-y-te,clerk,head,,,f@y-te.example', // 8 rank for a non-leader
      'g,Đỗ G,so-y-te,clerk,,,,not-an-email', // 9 bad e-mail
      'h,"Ngô', // 10 a name over two lines…
      'H",so-y-te,clerk,,,,A@Y-TE.example', // 11 …whose e-mail repeats line 2's (case aside)
      'Bad Id,Lý I,so-y-te,clerk,,,,i@y-te.example', // 12 id not a slug
      'j,Mai J,so-y-te,clerk,,,', // 13 too few fields
      'k,Cao K,so-y-te,specialist,,,vx,k@y-te.example', // 14 unit code not upper-case
      'l,,so-y-te,,,,,', // 15 required fields left empty
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      'people.csv line 4, person_id: "ok-1" is already on line 2',
      'people.csv line 5, org_id: no organisation "phuong-khong-co" in the directory',
      expect.stringMatching(/^people\.csv line 6, role: Invalid option: expected one of "leader"\|/),
      'people.csv line 7, rank: a leader has a rank',
      'people.csv line 8, rank: only leaders have a rank',
      expect.stringMatching(/^people\.csv line 9, email: Invalid email/),
      'people.csv line 10, email: "a@y-te.example" is already on line 2',
      expect.stringMatching(/^people\.csv line 12, person_id: .*lower-case ASCII letters and digits/),
      'people.csv line 13: 7 fields, the header has 8',
      expect.stringMatching(/^people\.csv line 14, unit_code: .*upper-case letters and digits/),
      'people.csv line 15, full_name: required, but empty',
      'people.csv line 15, role: required, but empty',
      'people.csv line 15, email: required, but empty',
    ]);
  });

  it('refuses a header with a missing, unknown or repeated column, naming them', () => {
    expect(errorsOf('person_id,full_name,org_id,role,e_mail\n')).toEqual([
      expect.stringMatching(/^people\.csv line 1: missing column\(s\) email; unknown column\(s\) "e_mail"/),
    ]);
    expect(errorsOf('person_id,full_name,org_id,role,email,role\n')).toEqual([
      expect.stringMatching(/^people\.csv line 1: repeated column\(s\) role/),
    ]);
    expect(errorsOf('')).toEqual(['people.csv line 1: empty file: expected a header line']);
    expect(errorsOf(`${HEADER}\na,"unterminated,so-y-te,clerk,,,,a@b.example\n`)).toEqual([
      'people.csv line 2: CSV ends inside the quoted field of the record on line 2',
    ]);
  });
});

describe('the directory plan', () => {
  const people = rowsOf(exampleCsv).map((r) => r.person);
  const stored = {
    organisations: directory.organisations.map((organisation, order) => ({ organisation, order })),
    people,
  };

  it('creates everything into an empty table, and changes nothing when all is stored', () => {
    const fresh = planDirectory(
      { organisations: directory.organisations, people },
      { organisations: [], people: [] },
    );
    expect(fresh.organisations.every((s) => s.kind === 'create')).toBe(true);
    expect(fresh.organisations).toHaveLength(142);
    expect(fresh.people.map((s) => s.kind)).toEqual(Array(7).fill('create'));

    const again = planDirectory({ organisations: directory.organisations, people }, stored);
    expect([...again.organisations, ...again.people].every((s) => s.kind === 'unchanged')).toBe(true);
    expect(formatDirectoryPlan(again)).toEqual([
      'organisations: 0 to create, 0 to update, 142 unchanged',
      'people: 0 to create, 0 to update, 7 unchanged',
    ]);
  });

  it('reports each changed field, tells a move of position from a change of name, and deletes nothing', () => {
    const renamed = people.map((p) => (p.id === 'cau-giay-clerk' ? { ...p, name: 'Phạm Thị Dung B' } : p));
    const moved = renamed.map((p) =>
      p.id === 'sxd-clerk' ? { ...p, position: { ...p.position, orgId: 'so-y-te' } } : p,
    );
    const someoneElse: Person = { ...(people[0] as Person), id: 'someone-else' };
    const storedWithOthers = { ...stored, people: [...people, someoneElse] };
    const plan = planDirectory(
      { organisations: directory.organisations, people: moved.filter((p) => p.id !== 'cau-giay-chairman') },
      storedWithOthers,
    );
    const byId = new Map(plan.people.map((s) => [s.id, s]));
    expect(byId.get('cau-giay-clerk')).toMatchObject({
      kind: 'update',
      changes: [{ field: 'name', from: 'Phạm Thị Dung', to: 'Phạm Thị Dung B' }],
    });
    expect(byId.get('sxd-clerk')).toMatchObject({
      kind: 'update',
      changes: [{ field: 'position.orgId', from: 'so-xay-dung', to: 'so-y-te' }],
    });
    const cauGiayClerk = byId.get('cau-giay-clerk');
    const sxdClerk = byId.get('sxd-clerk');
    expect(cauGiayClerk && movesPosition(cauGiayClerk)).toBe(false);
    expect(sxdClerk && movesPosition(sxdClerk)).toBe(true);
    expect(plan.untouched.people).toEqual(['cau-giay-chairman', 'someone-else']);
    expect(formatDirectoryPlan(plan)).toContain(
      '  ~ sxd-clerk: position.orgId "so-xay-dung" → "so-y-te" [position changed: certificate revoked]',
    );
  });

  it('treats a rank dropped or a title added as field changes, and a new place in the listing as an update', () => {
    const deputy = people.find((p) => p.id === 'cau-giay-vice-chairman');
    if (!deputy) throw new Error('example changed');
    const specialist = {
      ...deputy,
      position: { orgId: deputy.position.orgId, role: 'specialist' as const, title: 'Chuyên viên' },
    };
    const plan = planDirectory(
      { organisations: [...directory.organisations].reverse(), people: [specialist] },
      stored,
    );
    expect(plan.people[0]).toMatchObject({
      kind: 'update',
      changes: [
        { field: 'position.rank', from: 'deputy', to: undefined },
        { field: 'position.role', from: 'leader', to: 'specialist' },
        { field: 'position.title', from: 'Phó Chủ tịch', to: 'Chuyên viên' },
      ],
    });
    expect(plan.organisations[0]).toMatchObject({
      kind: 'update',
      changes: [{ field: 'order', from: '141', to: '0' }],
    });
  });
});

/** A user pool in memory with the rules of Cognito that the plan relies on: e-mails unique, person id fixed. */
class InMemoryPool implements UserPoolPort {
  readonly users = new Map<string, { attributes: Record<string, string>; groups: Set<string> }>();
  readonly calls: string[] = [];
  private next = 1;

  async listUsers(): Promise<PoolUser[]> {
    return [...this.users].map(([username, u]) => ({
      username,
      attributes: { ...u.attributes },
      groups: [...u.groups],
    }));
  }
  async createUser(user: WantedUser): Promise<string> {
    this.calls.push(`create ${user.email}`);
    if ([...this.users.values()].some((u) => u.attributes.email === user.email))
      throw new Error('UsernameExistsException');
    const username = `uuid-${this.next++}`;
    const attributes = Object.fromEntries(creationAttributes(user).map((a) => [a.Name, a.Value]));
    this.users.set(username, { attributes, groups: new Set() });
    return username;
  }
  async updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push(`update ${username} ${Object.keys(attributes).sort().join(',')}`);
    if ('custom:personId' in attributes) throw new Error('custom:personId is immutable');
    const user = this.users.get(username);
    if (!user) throw new Error('UserNotFoundException');
    Object.assign(user.attributes, attributes);
  }
  async addToGroup(username: string, group: string): Promise<void> {
    this.calls.push(`add ${username} ${group}`);
    this.users.get(username)?.groups.add(group);
  }
  async removeFromGroup(username: string, group: string): Promise<void> {
    this.calls.push(`remove ${username} ${group}`);
    this.users.get(username)?.groups.delete(group);
  }
}

describe('the Cognito users plan', () => {
  const wanted = wantedUsers(rowsOf(exampleCsv));

  it('creates each user with the attributes the API reads and the role as group, then converges', async () => {
    const pool = new InMemoryPool();
    const plan = planUsers(wanted, await pool.listUsers());
    expect(plan.conflicts).toEqual([]);
    expect(plan.steps.map((s) => s.kind)).toEqual(Array(7).fill('create'));
    await applyUsersPlan(plan, pool);
    const clerk = (await pool.listUsers()).find((u) => u.attributes['custom:personId'] === 'cau-giay-clerk');
    expect(clerk).toEqual({
      username: expect.stringMatching(/^uuid-/),
      attributes: {
        email: 'pham.thi.dung@cau-giay.example',
        email_verified: 'true',
        name: 'Phạm Thị Dung',
        'custom:personId': 'cau-giay-clerk',
        'custom:orgId': 'phuong-cau-giay',
      },
      groups: ['clerk'],
    });
    // Nothing in a creation sets or resets a password: Cognito's invitation carries the temporary one.
    expect(creationAttributes(wanted[0] as WantedUser).map((a) => a.Name)).not.toContain('password');

    pool.calls.length = 0;
    const again = planUsers(wanted, await pool.listUsers());
    expect(again.steps.every((s) => s.kind === 'unchanged')).toBe(true);
    await applyUsersPlan(again, pool);
    expect(pool.calls).toEqual([]);
  });

  it('updates only what changed: e-mail (kept verified), name, organisation, and the role group', async () => {
    const pool = new InMemoryPool();
    await applyUsersPlan(planUsers(wanted, []), pool);
    await pool.addToGroup([...pool.users.keys()][0] ?? '', 'reviewers'); // not a docflow group: left alone
    pool.calls.length = 0;
    const changed = wanted.map((w) =>
      w.personId === 'cau-giay-chairman'
        ? { ...w, email: 'anh.nd@cau-giay.example', orgId: 'ubnd-hanoi', role: 'auditor' as const }
        : w.personId === 'sxd-clerk'
          ? { ...w, name: 'Đỗ Văn Khánh B' }
          : w,
    );
    const plan = planUsers(changed, await pool.listUsers());
    const updates = plan.steps.filter((s) => s.kind === 'update');
    expect(updates).toEqual([
      expect.objectContaining({
        personId: 'cau-giay-chairman',
        attributes: {
          email: 'anh.nd@cau-giay.example',
          email_verified: 'true',
          'custom:orgId': 'ubnd-hanoi',
        },
        addGroups: ['auditor'],
        removeGroups: ['leader'],
      }),
      expect.objectContaining({ personId: 'sxd-clerk', attributes: { name: 'Đỗ Văn Khánh B' } }),
    ]);
    await applyUsersPlan(plan, pool);
    // Into the new group before out of the old one: never a moment without a role.
    expect(pool.calls.filter((c) => c.startsWith('add') || c.startsWith('remove'))).toEqual([
      'add uuid-1 auditor',
      'remove uuid-1 leader',
    ]);
    const chairman = (await pool.listUsers()).find((u) => u.username === 'uuid-1');
    expect([...(chairman?.groups ?? [])].sort()).toEqual(['auditor', 'reviewers']);
    expect(planUsers(changed, await pool.listUsers()).steps.every((s) => s.kind === 'unchanged')).toBe(true);
  });

  it('compares e-mails case-insensitively, as the pool signs in', async () => {
    const pool = new InMemoryPool();
    await applyUsersPlan(planUsers(wanted, []), pool);
    const shouted = (await pool.listUsers()).map((u) => ({
      ...u,
      attributes: { ...u.attributes, email: (u.attributes.email ?? '').toUpperCase() },
    }));
    expect(planUsers(wanted, shouted).steps.every((s) => s.kind === 'unchanged')).toBe(true);
  });

  it('refuses what it cannot fix: an e-mail taken by another person, or by a user without a person id', () => {
    const first = wanted[0] as WantedUser;
    const second = wanted[1] as WantedUser;
    const pool: PoolUser[] = [
      {
        username: 'uuid-a',
        attributes: { email: first.email, 'custom:personId': 'somebody-else' },
        groups: ['clerk'],
      },
      { username: 'uuid-b', attributes: { email: second.email }, groups: [] },
      {
        username: 'uuid-c',
        attributes: { email: 'old@x.example', 'custom:personId': 'sxd-clerk' },
        groups: ['clerk'],
      },
      {
        username: 'uuid-d',
        attributes: { email: 'do.van.khanh@so-xay-dung.example', 'custom:personId': 'gone' },
        groups: [],
      },
    ];
    const plan = planUsers(wanted, pool);
    expect(plan.conflicts).toEqual([
      {
        personId: 'cau-giay-chairman',
        message: expect.stringContaining(
          'already signs in as user uuid-a with custom:personId somebody-else',
        ),
      },
      {
        personId: 'cau-giay-vice-chairman',
        message: expect.stringContaining('already signs in as user uuid-b without custom:personId'),
      },
      {
        personId: 'sxd-clerk',
        message: expect.stringContaining('is already the e-mail of user uuid-d (custom:personId gone)'),
      },
    ]);
    expect(plan.untouched).toEqual(['gone', 'somebody-else']);
    return expect(applyUsersPlan(plan, new InMemoryPool())).rejects.toThrow(/conflicts/);
  });
});

describe('finding a stage’s resources', () => {
  it('takes the one directory table of the stage and refuses when there are none or several', () => {
    const names = [
      'Docflow-prod-DataDirectory1A2B3C4D-XYZ',
      'Docflow-prod-DataViews5E6F7A8B-XYZ',
      'Docflow-dev-DataDirectory1A2B3C4D-ABC',
    ];
    expect(pickDirectoryTable(names, 'prod')).toBe('Docflow-prod-DataDirectory1A2B3C4D-XYZ');
    expect(() => pickDirectoryTable(names, 'test')).toThrow(/no table .* pass --table/);
    expect(() => pickDirectoryTable([...names, 'Docflow-prod-DataDirectory1A2B3C4D-OLD'], 'prod')).toThrow(
      /several tables/,
    );
  });

  it('takes the user pool named docflow-<stage>, and refuses when there are none or several', () => {
    const pools = [
      { Id: 'p1', Name: 'docflow-prod' },
      { Id: 'p2', Name: 'docflow-dev' },
    ];
    expect(pickUserPool(pools, 'prod')).toBe('p1');
    expect(() => pickUserPool(pools, 'qa')).toThrow(/no user pool named docflow-qa/);
    expect(() => pickUserPool([...pools, { Id: 'p3', Name: 'docflow-prod' }], 'prod')).toThrow(/p1, p3/);
  });
});

describe('departures in the people CSV (issue 19)', () => {
  const withDeparture = exampleCsv
    .replace('person_id,full_name,org_id,role,rank,title,unit_code,email', `${HEADER},left_on,successor_id`)
    .split('\n')
    .map((line, k) =>
      k === 0 || line === ''
        ? line
        : line.startsWith('cau-giay-clerk,')
          ? `${line},2026-11-30,cau-giay-specialist`
          : `${line},,`,
    )
    .join('\n');
  const rows = rowsOf(withDeparture);
  const people = rows.map((r) => r.person);
  const departures = rows.flatMap((r) => (r.departure ? [{ personId: r.person.id, ...r.departure }] : []));
  const stored = {
    organisations: directory.organisations.map((organisation, order) => ({ organisation, order })),
    people,
  };

  it('reads left_on and successor_id together, and refuses one without the other or oneself as successor', () => {
    expect(departures).toEqual([
      { personId: 'cau-giay-clerk', leftOn: '2026-11-30', successorId: 'cau-giay-specialist' },
    ]);
    const half = withDeparture.replace('2026-11-30,cau-giay-specialist', '2026-11-30,');
    expect(errorsOf(half)).toEqual([
      'people.csv line 5, successor_id: a departure needs both left_on and successor_id',
    ]);
    const self = withDeparture.replace('2026-11-30,cau-giay-specialist', '2026-11-30,cau-giay-clerk');
    expect(errorsOf(self)).toEqual(['people.csv line 5, successor_id: a person cannot succeed themselves']);
  });

  it('plans the departure, reports it, leaves the person out of the updates, and is settled once recorded', () => {
    const plan = planDirectory({ organisations: directory.organisations, people, departures }, stored);
    expect(plan.departureProblems).toEqual([]);
    expect(plan.departures).toEqual([
      { kind: 'depart', id: 'cau-giay-clerk', successorId: 'cau-giay-specialist', leftOn: '2026-11-30' },
    ]);
    expect(plan.people.map((s) => s.id)).not.toContain('cau-giay-clerk');
    expect(formatDirectoryPlan(plan)).toContain(
      '  - cau-giay-clerk (left on 2026-11-30): sign-in disabled, certificate revoked, pending work to cau-giay-specialist',
    );
    const recorded = {
      ...stored,
      people: people.filter((p) => p.id !== 'cau-giay-clerk'),
      departed: [{ id: 'cau-giay-clerk', successorId: 'cau-giay-specialist' }],
    };
    const again = planDirectory({ organisations: directory.organisations, people, departures }, recorded);
    expect(again.departures).toEqual([
      { kind: 'departed', id: 'cau-giay-clerk', successorId: 'cau-giay-specialist' },
    ]);
    expect(formatDirectoryPlan(again)).toContain('departures: 0 to record, 1 already recorded');
    // Listed again without left_on: not added back.
    const back = planDirectory({ organisations: directory.organisations, people }, recorded);
    expect(back.leftEarlier).toEqual(['cau-giay-clerk']);
    expect(back.people.map((s) => s.id)).not.toContain('cau-giay-clerk');
  });

  it('refuses a successor of another organisation, one who leaves too, or a person the stage does not have', () => {
    const plan = planDirectory(
      {
        organisations: directory.organisations,
        people,
        departures: [
          { personId: 'cau-giay-clerk', successorId: 'sxd-clerk', leftOn: '2026-11-30' },
          { personId: 'sxd-clerk', successorId: 'sxd-director', leftOn: '2026-11-30' },
          { personId: 'sxd-director', successorId: 'sxd-clerk', leftOn: '2026-11-30' },
          { personId: 'nobody', successorId: 'sxd-clerk', leftOn: '2026-11-30' },
        ],
      },
      stored,
    );
    expect(plan.departureProblems).toEqual([
      'cau-giay-clerk: the successor sxd-clerk is not a person who stays',
      'sxd-clerk: the successor sxd-director is not a person who stays',
      'sxd-director: the successor sxd-clerk is not a person who stays',
      'nobody is not a person of this stage: nobody to record as leaving',
    ]);
    const other = planDirectory(
      {
        organisations: directory.organisations,
        people,
        departures: [{ personId: 'cau-giay-clerk', successorId: 'sxd-director', leftOn: '2026-11-30' }],
      },
      stored,
    );
    expect(other.departureProblems).toEqual([
      'cau-giay-clerk: the successor sxd-director is in so-xay-dung, not phuong-cau-giay',
    ]);
  });
});
