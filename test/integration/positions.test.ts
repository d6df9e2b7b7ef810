import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, stack, stateFingerprint } from '../support/api';
import { get, post, type Signers, signAs, signed, toSign, type View } from '../support/flow';
import { tempDir } from '../support/pdf-tools';

/**
 * A person changes position: authorization follows at once (same token), the certificate naming the old
 * position is revoked, what they signed before stays valid, and their next signature gets a new
 * certificate naming the new position.
 */

const BA_DINH: Signers = {
  drafter: 'ba-dinh-specialist',
  approver: 'ba-dinh-chairman',
  signer: 'ba-dinh-vice-chairman',
  capacity: { capacity: 'KT' },
};

const NEW_POSITION = { orgId: 'phuong-hoan-kiem', role: 'leader', title: 'Phó Chủ tịch', rank: 'deputy' };

function crlSerials(der: Uint8Array): string {
  const dir = tempDir();
  const file = join(dir, 'root.crl');
  writeFileSync(file, der);
  const run = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`openssl crl: ${run.stderr}`);
  return run.stdout;
}

describe('a change of position', () => {
  let before: string;
  let signedBefore: string;
  let serial: string;

  beforeAll(async () => {
    signedBefore = await signed(BA_DINH);
    await login('ba-dinh-vice-chairman');
  }, 120_000);

  it('is refused to anyone but an administrator, and for unknown people or organisations', async () => {
    before = await stateFingerprint();
    const asClerk = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: await login('city-clerk'),
      body: NEW_POSITION,
    });
    expect(asClerk.status).toBe(403);
    const admin = await login('city-admin');
    const unknown = await api<View>('PUT', '/api/people/nobody/position', {
      token: admin,
      body: NEW_POSITION,
    });
    expect(unknown.status).toBe(404);
    const badOrg = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: admin,
      body: { ...NEW_POSITION, orgId: 'phuong-khong-ton-tai' },
    });
    expect(badOrg.status).toBe(422);
    const leaderWithoutRank = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: admin,
      body: { orgId: 'phuong-hoan-kiem', role: 'leader', title: 'Phó Chủ tịch' },
    });
    expect(leaderWithoutRank.status).toBe(400);
    expect(await stateFingerprint()).toBe(before);
  });

  it('takes effect at once and revokes the old certificate; repeating the request changes nothing', async () => {
    const admin = await login('city-admin');
    const moved = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: admin,
      body: NEW_POSITION,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.position).toEqual(NEW_POSITION);
    serial = moved.body.revokedCertificate;
    expect(serial).toMatch(/^[0-9a-f]+$/);
    const afterMove = await stateFingerprint();
    const again = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: admin,
      body: NEW_POSITION,
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(moved.body);
    expect(await stateFingerprint()).toBe(afterMove);

    // The token issued before the move still authenticates, but now speaks for the new position.
    const me = await get('ba-dinh-vice-chairman', '/api/me');
    expect(me.organisation.id).toBe('phuong-hoan-kiem');
    const old = await api<View>('GET', `/api/documents/${signedBefore}`, {
      token: await login('ba-dinh-vice-chairman'),
    });
    expect(old.status).toBe(404);

    const crl = await fetch(`${stack().url}/api/pki/crl`);
    const text = crlSerials(new Uint8Array(await crl.arrayBuffer()));
    expect(text.replace(/:/g, '').toLowerCase()).toContain(serial.replace(/^0+/, ''));
    expect(text).toMatch(/Affiliation Changed/i);
  });

  it('leaves the earlier signature valid: the certificate was revoked after it was used', async () => {
    const report = await get('ba-dinh-chairman', `/api/documents/${signedBefore}/verification`);
    expect(report.verdict).toBe('valid');
    const personal = report.revisions
      .flatMap((r: View) => r.report?.signatures ?? [])
      .find((s: View) => s.signer?.commonName === 'Tạ Thị Quyên');
    expect(personal).toMatchObject({ verdict: 'valid', revocation: 'revoked-later' });
  });

  it('gives the next signature a new certificate naming the new position', async () => {
    const id = await toSign({
      drafter: 'hoan-kiem-specialist',
      approver: 'hoan-kiem-chairman',
      signer: 'ba-dinh-vice-chairman',
    });
    const view = await signAs('ba-dinh-vice-chairman', id, { capacity: 'KT' });
    expect(view.signatures[0]).toMatchObject({
      signerId: 'ba-dinh-vice-chairman',
      signerOrgId: 'phuong-hoan-kiem',
    });
    const report = await get('hoan-kiem-chairman', `/api/documents/${id}/verification`);
    expect(report.verdict).toBe('valid');
    const signature = report.revisions.flatMap((r: View) => r.report?.signatures ?? []).at(-1);
    expect(signature.signer.subject).toContain('phường Hoàn Kiếm');
    expect(signature.signer.serial.toLowerCase()).not.toBe(serial);

    // Setting the position they already hold revokes nothing: the new certificate names it.
    const unchanged = await stateFingerprint();
    const same = await api<View>('PUT', '/api/people/ba-dinh-vice-chairman/position', {
      token: await login('city-admin'),
      body: NEW_POSITION,
    });
    expect(same.status).toBe(200);
    expect(same.body.revokedCertificate).toBeUndefined();
    expect(await stateFingerprint()).toBe(unchanged);
    const crl = crlSerials(new Uint8Array(await (await fetch(`${stack().url}/api/pki/crl`)).arrayBuffer()));
    expect(crl.replace(/:/g, '').toLowerCase()).not.toContain(
      signature.signer.serial.toLowerCase().replace(/^0+/, ''),
    );
  });
});

describe('separation of duties in administration', () => {
  const AUDITOR = { orgId: 'ubnd-hanoi', role: 'auditor', title: 'Kiểm soát viên' };

  it('nobody changes their own position: an administrator cannot make themselves an auditor', async () => {
    const unchanged = await stateFingerprint();
    const self = await api<View>('PUT', '/api/people/city-admin/position', {
      token: await login('city-admin'),
      body: AUDITOR,
    });
    expect({ status: self.status, code: self.body.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    expect(await stateFingerprint()).toBe(unchanged);
    expect((await get('city-admin', '/api/me')).position.role).toBe('admin');
  });

  it('an auditor position is requested (202) and given only when a second administrator approves it', async () => {
    const asked = await api<View>('PUT', '/api/people/stc-specialist/position', {
      token: await login('city-admin'),
      body: AUDITOR,
    });
    expect(asked.status).toBe(202);
    expect(asked.body.request).toMatchObject({ status: 'pending', requestedBy: 'city-admin' });
    expect((await get('stc-specialist', '/api/me')).position.role).toBe('specialist');
    const id = asked.body.request.id as string;

    const own = await api<View>('POST', `/api/position-requests/${id}/approve`, {
      token: await login('city-admin'),
      body: {},
    });
    expect(own.status).toBe(403);
    const notAdmin = await api<View>('GET', '/api/position-requests', { token: await login('city-auditor') });
    expect(notAdmin.status).toBe(403);
    const pending = (await get('city-admin-2', '/api/position-requests')) as View[];
    expect(pending.map((r) => r.id)).toContain(id);

    const approved = await post('city-admin-2', `/api/position-requests/${id}/approve`);
    expect(approved).toMatchObject({
      position: AUDITOR,
      request: { status: 'approved', decidedBy: 'city-admin-2' },
    });
    expect((await get('stc-specialist', '/api/me')).position.role).toBe('auditor');

    const log = await get('city-auditor', '/api/administration-log');
    expect(log.chain.ok).toBe(true);
    const entries = (log.entries as View[]).filter((e) => e.requestId === id);
    expect(entries.map((e) => [e.type, e.by])).toEqual([
      ['position-requested', 'city-admin'],
      ['position-approved', 'city-admin-2'],
    ]);

    // Taking the rights away needs no second administrator.
    const back = await api<View>('PUT', '/api/people/stc-specialist/position', {
      token: await login('city-admin'),
      body: { orgId: 'so-tai-chinh', role: 'specialist', title: 'Chuyên viên' },
    });
    expect(back.status).toBe(200);
  });
});
