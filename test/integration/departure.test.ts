import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login } from '../support/api';
import { get, post, type Signers, sent, signAs, toSign, type View } from '../support/flow';

/**
 * A person leaves (issue 19): an administrator records the departure with a successor, and in one logged
 * step everything pending with them (two drafts to sign, a registered document presented to them, two
 * assignments) goes to the successor, who sees and acts on it at once; their sign-in stops working, their
 * certificate is revoked, and what they signed before stays valid.
 */

const ORG = 'xa-soc-son';
const suffix = randomUUID().slice(0, 8);
const LEAVER = `soc-son-deputy-${suffix}`;
const SUCCESSOR = `soc-son-successor-${suffix}`;
const DEPUTY = { orgId: ORG, role: 'leader', rank: 'deputy', title: 'Phó Chủ tịch' };
const DEADLINE = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

const signers = (signer: string): Signers => ({
  drafter: 'soc-son-specialist',
  approver: 'soc-son-chairman',
  signer,
  capacity: { capacity: 'KT' },
});

/** A city document sent to the commune and registered there by its clerk, presented to `presentTo`. */
async function arrived(presentTo?: string): Promise<string> {
  const id = await sent([ORG]);
  await post('soc-son-clerk', `/api/documents/${id}/register`, presentTo ? { presentTo } : {});
  return id;
}

describe('a departure', () => {
  let signedBefore: string;
  const pending: string[] = [];
  let departure: View;

  beforeAll(async () => {
    const admin = await login('city-admin');
    for (const [id, name] of [
      [LEAVER, 'Nguyễn Thị Rời'],
      [SUCCESSOR, 'Trần Văn Tiếp'],
    ] as const) {
      const added = await api<View>('POST', '/api/people', {
        token: admin,
        body: { id, name, position: DEPUTY },
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      // Their sign-in account comes with them (locally the identity provider signs in the directory's people).
      expect(added.body.signIn).toBe('created');
      expect((await api<View>('GET', '/api/me', { token: await login(id) })).status).toBe(200);
    }
    // What they signed while in office, before leaving.
    signedBefore = await toSign(signers(LEAVER));
    await signAs(LEAVER, signedBefore, { capacity: 'KT' });
    // Two drafts waiting for their signature.
    pending.push(await toSign(signers(LEAVER)), await toSign(signers(LEAVER)));
    // A document registered and presented to them for direction.
    pending.push(await arrived(LEAVER));
    // Two documents the chairman assigned to them.
    for (let i = 0; i < 2; i++) {
      const id = await arrived();
      await post('soc-son-chairman', `/api/documents/${id}/assign`, {
        lead: LEAVER,
        deadline: DEADLINE,
        note: 'Đề nghị đồng chí chủ trì xử lý.',
      });
      pending.push(id);
    }
  }, 600_000);

  it('is refused to anyone but an administrator, and without a successor of the same organisation', async () => {
    const asChairman = await api<View>('POST', `/api/people/${LEAVER}/departure`, {
      token: await login('soc-son-chairman'),
      body: { successorId: SUCCESSOR },
    });
    expect(asChairman.status).toBe(403);
    const admin = await login('city-admin');
    for (const successorId of [LEAVER, 'ba-dinh-chairman', 'nobody-at-all']) {
      const refused = await api<View>('POST', `/api/people/${LEAVER}/departure`, {
        token: admin,
        body: { successorId },
        headers: { 'accept-language': 'en' },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.message).toContain('successor');
    }
    // Nothing happened: the person still signs in and acts.
    expect((await api<View>('GET', '/api/me', { token: await login(LEAVER) })).status).toBe(200);
  });

  it('hands the 5 pending documents to the successor, disables sign-in and revokes the certificate', async () => {
    const token = await login(LEAVER);
    const answer = await api<View>('POST', `/api/people/${LEAVER}/departure`, {
      token: await login('city-admin'),
      body: { successorId: SUCCESSOR },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    departure = answer.body;
    expect(departure.signIn).toBe('disabled');
    expect(departure.revokedCertificate).toMatch(/^[0-9a-f]+$/i);
    expect(departure.handedOver.map((h: View) => h.documentId).sort()).toEqual([...pending].sort());
    expect(departure.handedOver.map((h: View) => h.kind).sort()).toEqual([
      'incoming',
      'incoming',
      'incoming',
      'outgoing',
      'outgoing',
    ]);

    // Sign-in: the token they hold is refused, and they cannot sign in again.
    expect((await api<View>('GET', '/api/me', { token })).status).toBe(401);
    expect((await api<View>('POST', '/api/dev/login', { body: { userId: LEAVER } })).status).toBe(404);
    // Gone from the people others pick from.
    const people = await get('soc-son-chairman', `/api/people?orgId=${ORG}`);
    expect(people.map((p: View) => p.id)).not.toContain(LEAVER);
    expect(people.map((p: View) => p.id)).toContain(SUCCESSOR);
  });

  it('tells the successor of each document handed over, through the log like any event', async () => {
    const token = await login(SUCCESSOR);
    const handovers = async () =>
      (
        (
          await api<View>('GET', '/api/notifications?limit=100', {
            token,
            headers: { 'accept-language': 'en' },
          })
        ).body.items as View[]
      ).filter((n) => n.kind === 'handover');
    const deadline = Date.now() + 30_000;
    let told = await handovers();
    while (new Set(told.map((n) => n.documentId)).size < pending.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      told = await handovers();
    }
    expect([...new Set(told.map((n) => n.documentId))].sort()).toEqual([...pending].sort());
    expect(told[0]?.title).toMatch(/^A document handed over to you \(your predecessor left\): /);
    // The one who left is told of nothing.
    expect((await api<View>('POST', '/api/dev/login', { body: { userId: LEAVER } })).status).toBe(404);
  });

  it('records one entry in the administration log naming the successor and the documents', async () => {
    const { entries, chain } = await get('city-admin', '/api/administration-log');
    expect(chain.ok).toBe(true);
    const mine = entries.filter((e: View) => e.personId === LEAVER && e.type === 'person-departed');
    expect(mine).toHaveLength(1);
    expect(mine[0].successorId).toBe(SUCCESSOR);
    expect(mine[0].to).toBeNull();
    expect([...mine[0].handedOver].sort()).toEqual([...pending].sort());
  });

  it('lets the successor act at once: sign the drafts, direct and handle the documents', async () => {
    const [draftA, draftB, presented, assignedA, assignedB] = pending as [
      string,
      string,
      string,
      string,
      string,
    ];
    for (const id of [draftA, draftB]) {
      const view = await get(SUCCESSOR, `/api/documents/${id}`);
      expect(view.document.designatedSignerId).toBe(SUCCESSOR);
      expect(view.log.at(-1).type).toBe('handed-over');
    }
    const signedBySuccessor = await signAs(SUCCESSOR, draftA, { capacity: 'KT' });
    expect(signedBySuccessor.state).toBe('SIGNED');

    const presentedView = await get(SUCCESSOR, `/api/documents/${presented}`);
    expect(presentedView.record.presentedTo).toBe(SUCCESSOR);
    await post(SUCCESSOR, `/api/documents/${presented}/assign`, {
      lead: 'soc-son-specialist',
      deadline: DEADLINE,
      note: 'Giao chuyên viên xử lý.',
    });

    const assigned = await get(SUCCESSOR, '/api/inbox?folder=assigned&limit=100');
    const ids = assigned.items.map((i: View) => i.id);
    expect(ids).toEqual(expect.arrayContaining([assignedA, assignedB]));
    const started = await post(SUCCESSOR, `/api/documents/${assignedA}/start`);
    expect(started.record.state).toBe('IN_PROGRESS');
  });

  it('leaves what they signed before valid, and a repeated request changes nothing', async () => {
    const verification = await get('soc-son-chairman', `/api/documents/${signedBefore}/verification`);
    expect(verification.verdict).toBe('valid');

    const again = await api<View>('POST', `/api/people/${LEAVER}/departure`, {
      token: await login('city-admin'),
      body: { successorId: SUCCESSOR },
    });
    expect(again.status).toBe(200);
    expect(again.body.handedOver).toEqual([]);
    expect(again.body.at).toBe(departure.at);
    const { entries } = await get('city-admin', '/api/administration-log');
    expect(entries.filter((e: View) => e.personId === LEAVER && e.type === 'person-departed')).toHaveLength(
      1,
    );
    // The id stays theirs: nobody is added under it again.
    const reused = await api<View>('POST', '/api/people', {
      token: await login('city-admin'),
      body: { id: LEAVER, name: 'Người Khác', position: DEPUTY },
    });
    expect(reused.status).toBe(409);
  });
});
