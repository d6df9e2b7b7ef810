import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../lambdas/routes';
import {
  consumes,
  DOCUMENT_STATES,
  type DocumentState,
  formatRow,
  isDocumentRoute,
  MATRIX,
  type MatrixRoute,
  PERSONAS,
  parseRow,
} from '../authorization/matrix';
import { type CellContext, REQUESTS, send } from '../authorization/requests';
import { buildWorld, consumableKey, personaUser, type World } from '../authorization/world';
import { api, login } from '../support/api';
import { get, issueAs, signed, type View } from '../support/flow';

/**
 * The authorization matrix (test/authorization/matrix.ts), cell by cell against the local stack: every
 * route, as every kind of caller of the organisation concerned and of another, and anonymously, on a
 * document in every state. One run builds its documents once; the cells then run a few at a time.
 */

const PARALLEL = 6;

interface Cell {
  readonly route: MatrixRoute;
  readonly state: DocumentState | '*';
  readonly column: number;
  readonly expected: number;
}

function cells(): Cell[] {
  const all: Cell[] = [];
  for (const [route, rows] of Object.entries(MATRIX) as [MatrixRoute, Readonly<Record<string, string>>][])
    for (const [state, text] of Object.entries(rows))
      for (const [column, expected] of parseRow(text).entries())
        all.push({ route, state: state as DocumentState | '*', column, expected });
  return all;
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

describe('the authorization matrix', () => {
  let world: World;
  let built = 0;

  beforeAll(async () => {
    const started = Date.now();
    world = await buildWorld((line) => console.log(line));
    built = Date.now() - started;
  }, 600_000);

  it('has rows for every route and only for routes that exist; document routes for every state', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(routeTable).sort());
    for (const [route, rows] of Object.entries(MATRIX) as [MatrixRoute, Readonly<Record<string, string>>][]) {
      for (const text of Object.values(rows)) expect(parseRow(text)).toHaveLength(PERSONAS.length);
      if (isDocumentRoute(route)) expect(Object.keys(rows)).toEqual([...DOCUMENT_STATES]);
      else expect(Object.keys(rows)).toEqual(['*']);
    }
  });

  it('answers every cell as the table says', async () => {
    const started = Date.now();
    const log = (line: string) => console.log(line);
    const all = cells();
    const actual = new Map<string, number>();
    const bodies = new Map<string, unknown>();
    const keyOf = (c: Cell) => `${c.route}\t${c.state}\t${c.column}`;

    const run = async (cell: Cell) => {
      const persona = PERSONAS[cell.column] ?? 'anonymous';
      const consumed = consumes(cell.route, cell.state, cell.expected);
      const subject =
        cell.state === '*'
          ? undefined
          : consumed
            ? world.consumables.get(consumableKey(cell.state, cell.route, persona))
            : world.subjects.get(cell.state);
      if (cell.state !== '*' && !subject) throw new Error(`no document for ${keyOf(cell)}`);
      const own = subject?.own ?? world.sender;
      const context: CellContext = { world, subject, own, persona, user: personaUser(world, own, persona) };
      const { status, body } = await send(context, REQUESTS[cell.route]);
      actual.set(keyOf(cell), status);
      if (status !== cell.expected) bodies.set(keyOf(cell), body);
    };
    // Routes about no document first, one at a time in table order (enrolling an authenticator app comes
    // before confirming it); then every document cell, a few at a time.
    await pool(
      all.filter((c) => c.state === '*'),
      1,
      run,
    );
    const documentCells = all.filter((c) => c.state !== '*');
    await pool(
      documentCells.filter((c) => !consumes(c.route, c.state, c.expected)),
      PARALLEL,
      run,
    );
    await pool(
      documentCells.filter((c) => consumes(c.route, c.state, c.expected)),
      PARALLEL,
      run,
    );

    const differing = all.filter((c) => actual.get(keyOf(c)) !== c.expected);
    log(
      `  authorization matrix: ${all.length} cells, ${differing.length} differing, ${Math.round((Date.now() - started) / 1000)} s (documents made in ${Math.round(built / 1000)} s)`,
    );
    if (differing.length > 0) {
      // The rows as they are now, for a reviewer to compare with the table.
      const rows = new Map<string, number[]>();
      for (const c of all) {
        const key = `${c.route}\t${c.state}`;
        const row = rows.get(key) ?? [];
        row[c.column] = actual.get(keyOf(c)) ?? 0;
        rows.set(key, row);
      }
      const changed = [...new Set(differing.map((c) => `${c.route}\t${c.state}`))];
      log(changed.map((key) => `${key.replace('\t', '  ')}: '${formatRow(rows.get(key) ?? [])}'`).join('\n'));
      for (const c of differing.slice(0, 40))
        log(
          `  ${c.route} ${c.state} ${PERSONAS[c.column]}: expected ${c.expected}, got ${actual.get(keyOf(c))} ${JSON.stringify(bodies.get(keyOf(c))).slice(0, 300)}`,
        );
    }
    expect(differing.map((c) => `${c.route} ${c.state} ${PERSONAS[c.column]}`)).toEqual([]);
  }, 900_000);

  /** A refusal's status, code and message (in English). */
  async function answer(user: string, method: string, path: string, body?: unknown) {
    const response = await api<View>(method, path, {
      token: await login(user),
      headers: { 'accept-language': 'en' },
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: response.status,
      code: response.body?.error?.code,
      message: response.body?.error?.message,
    };
  }

  it('keeps notes with their audience: each side sees its share of the log, co-recipients nothing of each other', async () => {
    const sent = world.subjects.get('SENT');
    const assigned = world.subjects.get('in:ASSIGNED');
    const presented = world.subjects.get('in:PRESENTED');
    if (!sent || !assigned || !presented) throw new Error('missing subjects');
    // The sender sees each recipient's receipt, not its direction note or assignee.
    const sender = await get(world.sender.clerk, `/api/documents/${sent.id}`);
    const theirs = (sender.log as View[]).filter((e) => e.orgId === assigned.own.orgId).map((e) => e.type);
    expect(theirs).toEqual(['arrived', 'registered']);
    const record = (sender.incoming as View[]).find((r) => r.orgId === assigned.own.orgId);
    expect(record).toMatchObject({ state: 'ASSIGNED' });
    expect(record?.assignment).toBeUndefined();
    expect(JSON.stringify(sender)).not.toContain(assigned.own.specialist);
    // A recipient sees the sender's public steps and its own, nothing of the other recipients.
    const recipient = await get(assigned.own.clerk, `/api/documents/${sent.id}`);
    const orgs = new Set((recipient.log as View[]).map((e) => e.orgId));
    expect(orgs).toEqual(new Set([world.sender.orgId, assigned.own.orgId]));
    expect(
      (recipient.log as View[]).filter((e) => e.orgId === world.sender.orgId).map((e) => e.type),
    ).toEqual(['signed', 'issued', 'sent']);
    // Nor through the transparency proofs or the verification.
    expect(
      (
        await answer(
          assigned.own.clerk,
          'GET',
          `/api/transparency/proof?documentId=${sent.id}&seq=${presented.seq}`,
        )
      ).status,
    ).toBe(404);
    expect(
      (await answer(assigned.own.clerk, 'GET', `/api/transparency/proof?documentId=${sent.id}&seq=1`)).status,
    ).toBe(404);
    const report = await get(assigned.own.clerk, `/api/documents/${sent.id}/verification`);
    expect(report).toMatchObject({ verdict: 'valid', share: { orgId: assigned.own.orgId } });
    expect(report.chain.length).toBeLessThan(sender.chain.length);
    // An auditor of a recipient organisation reads as an auditor: the whole log.
    const audit = await get(assigned.own.auditor, `/api/documents/${sent.id}/verification`);
    expect(audit.share).toBeUndefined();
    expect(audit.chain.length).toBe(sender.chain.length);
  });

  it('tells a recipient its copy was recalled and why, and serves it no more', async () => {
    const recalled = world.subjects.get('in:RECALLED');
    if (!recalled) throw new Error('missing subject');
    const view = await get(recalled.own.clerk, `/api/documents/${recalled.id}`);
    expect(view).toMatchObject({
      state: 'RECALLED',
      record: { state: 'RECALLED', recallReason: 'Ma trận quyền: thu hồi' },
    });
    expect((view.log as View[]).find((e) => e.type === 'recalled')?.note).toBe('Ma trận quyền: thu hồi');
    const file = await answer(recalled.own.clerk, 'GET', `/api/documents/${recalled.id}/file?redirect=false`);
    expect(file).toMatchObject({ status: 410, code: 'document_recalled' });
    expect(file.message).toContain('Ma trận quyền: thu hồi');
    // A link handed out before a recall cannot be revoked: it is short-lived (README, Who sees and does what).
    const arrived = world.subjects.get('in:ARRIVED');
    if (!arrived) throw new Error('missing subject');
    const { url } = await get(arrived.own.clerk, `/api/documents/${arrived.id}/file?redirect=false`);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('300');
    expect((await fetch(url)).status).toBe(200);
  });

  it('checks every id a body names against the directory and the caller’s documents, naming the field', async () => {
    const s = world.sender;
    const review = world.subjects.get('UNDER_REVIEW');
    const issued = world.subjects.get('ISSUED');
    const arrived = world.subjects.get('in:ARRIVED');
    const presented = world.subjects.get('in:PRESENTED');
    const progress = world.subjects.get('in:IN_PROGRESS');
    const draft = world.subjects.get('DRAFT');
    const recalled = world.subjects.get('RECALLED');
    const replaced = world.subjects.get('REPLACED');
    if (!review || !issued || !arrived || !presented || !progress || !draft || !recalled || !replaced)
      throw new Error('missing subjects');
    const newDraft = { title: 'Ma trận quyền: văn bản thay thế', docType: 'quyet-dinh' };
    const o = world.other;
    const theirs = await signed({ drafter: o.specialist, approver: o.leader, signer: o.leader });
    await issueAs(o.clerk, theirs);
    const refusals: [string, string, string, unknown, string][] = [
      [s.leader, 'POST', `/api/documents/${review.id}/approve`, { signerId: world.other.leader }, 'signerId'],
      [s.leader, 'POST', `/api/documents/${review.id}/approve`, { signerId: s.clerk }, 'signerId'],
      [s.leader, 'POST', `/api/documents/${review.id}/approve`, { signerId: 'nobody-at-all' }, 'signerId'],
      // The document a draft replaces or corrects: a draft, another organisation's issued document, a
      // recalled one, a replaced one, an id never used.
      [s.specialist, 'POST', '/api/documents', { ...newDraft, replaces: draft.id }, 'replaces'],
      [s.specialist, 'POST', '/api/documents', { ...newDraft, replaces: theirs }, 'replaces'],
      [s.specialist, 'POST', '/api/documents', { ...newDraft, corrects: recalled.id }, 'corrects'],
      [s.specialist, 'POST', '/api/documents', { ...newDraft, replaces: replaced.id }, 'replaces'],
      [s.specialist, 'POST', '/api/documents', { ...newDraft, corrects: randomUUID() }, 'corrects'],
      [
        arrived.own.clerk,
        'POST',
        `/api/documents/${arrived.id}/register`,
        { presentTo: arrived.own.specialist },
        'presentTo',
      ],
      [
        presented.own.leader,
        'POST',
        `/api/documents/${presented.id}/assign`,
        { lead: 'unit:ZZZ', deadline: '2099-01-01', note: 'x' },
        'lead',
      ],
      [
        presented.own.leader,
        'POST',
        `/api/documents/${presented.id}/assign`,
        { lead: presented.own.specialist, info: [s.specialist], deadline: '2099-01-01', note: 'x' },
        'info[0]',
      ],
      [
        progress.own.specialist,
        'POST',
        `/api/documents/${progress.id}/resolve`,
        { replyId: draft.id },
        'replyId',
      ],
      [presented.own.clerk, 'POST', `/api/documents/${presented.id}/forward`, { to: 'xa-khong-co' }, 'to'],
    ];
    for (const [user, method, path, body, field] of refusals) {
      const refused = await answer(user, method, path, body);
      expect({ path, field, status: refused.status }).toEqual({ path, field, status: 422 });
      expect(refused.message).toContain(`${field}:`);
    }
    // Refused without a trace: the states are still those the table's rows were checked in.
    expect((await get(s.leader, `/api/documents/${review.id}`)).state).toBe('UNDER_REVIEW');
    expect((await get(s.leader, `/api/documents/${issued.id}`)).state).toBe('ISSUED');
    expect((await get(arrived.own.clerk, `/api/documents/${arrived.id}`)).record.state).toBe('ARRIVED');
  });
});
