// Separation of duties in administration (core/domain/administration.ts) against in-memory ports: nobody
// changes their own position, a position that administers or audits needs a second administrator, and
// every change is in the hash-chained administration log.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import { administers, checkAdministrationLog } from '../../lambdas/core/domain/administration';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { Position } from '../../lambdas/core/domain/directory';
import {
  administrationLog,
  approvePositionRequest,
  changePosition,
  type PeoplePorts,
  pendingPositionRequests,
  rejectPositionRequest,
} from '../../lambdas/use-cases/people';
import { MemoryDirectory } from '../support/memory-ports';
import { directory, NOW, people } from '../unit/domain-fixtures';

const secondAdmin: Actor = {
  id: 'u-admin-2',
  name: 'Quản Trị Hai',
  position: { orgId: 'ubnd-hanoi', role: 'admin', title: 'Quản trị hệ thống' },
};

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const admin = callerOf(people.admin);
const second = callerOf(secondAdmin);

function setup() {
  const store = new MemoryDirectory(directory, [...Object.values(people), secondAdmin]);
  const revoked: string[] = [];
  const ports: PeoplePorts = {
    directory: store,
    certificates: {
      revokeOfficial: async (personId: string) => {
        revoked.push(personId);
        return undefined;
      },
      revokeStaleOfficial: async () => undefined,
    },
    signatureImages: {
      presignUpload: async () => ({
        url: 'memory://',
        method: 'POST',
        fields: {},
        maxBytes: 1,
        expiresInSeconds: 1,
      }),
      readUpload: async () => new Uint8Array(),
      put: async () => '',
      presignDownload: async () => 'memory://',
    },
    now: () => NOW,
  };
  return { ports, store, revoked };
}

const AUDITOR: Position = { orgId: 'ubnd-hanoi', role: 'auditor', title: 'Kiểm soát viên' };
const ADMIN: Position = { orgId: 'ubnd-hanoi', role: 'admin', title: 'Quản trị hệ thống' };

describe('separation of duties', () => {
  it('nobody changes their own position, not even an administrator demoting or promoting themselves', async () => {
    const { ports, store } = setup();
    for (const position of [AUDITOR, { ...ADMIN, title: 'Quản trị viên chính' }])
      await expect(changePosition(ports, admin, people.admin.id, position)).rejects.toMatchObject({
        status: 403,
        code: 'forbidden',
      });
    expect(store.log).toEqual([]);
  });

  it('only administrators change positions; others are refused before anything is read', async () => {
    const { ports } = setup();
    for (const who of [people.chairman, people.auditor, people.cityClerk])
      await expect(
        changePosition(ports, callerOf(who), people.citySpecialist.id, AUDITOR),
      ).rejects.toMatchObject({ status: 403 });
  });

  it('an ordinary move applies at once, revokes the certificate and is logged', async () => {
    const { ports, store, revoked } = setup();
    const to: Position = { orgId: 'phuong-ba-dinh', role: 'specialist', title: 'Chuyên viên' };
    const moved = await changePosition(ports, admin, people.citySpecialist.id, to);
    expect(moved).toMatchObject({ id: people.citySpecialist.id, position: to });
    expect(revoked).toEqual([people.citySpecialist.id]);
    expect(store.log).toMatchObject([
      { seq: 1, type: 'position-changed', by: people.admin.id, personId: people.citySpecialist.id, to },
    ]);
    // The same request again changes and logs nothing.
    await changePosition(ports, admin, people.citySpecialist.id, to);
    expect(store.log).toHaveLength(1);
  });

  it('an auditor or administrator position waits for a second administrator, who alone may approve it', async () => {
    const { ports, store, revoked } = setup();
    const asked = await changePosition(ports, admin, people.citySpecialist.id, AUDITOR);
    if (!('request' in asked)) throw new Error('expected a pending request');
    expect(asked.request).toMatchObject({
      status: 'pending',
      requestedBy: people.admin.id,
      position: AUDITOR,
    });
    expect((await store.findPerson(people.citySpecialist.id))?.position.role).toBe('specialist');
    // Asking again answers with the same request.
    const again = await changePosition(ports, admin, people.citySpecialist.id, AUDITOR);
    expect(again).toEqual(asked);
    expect(await pendingPositionRequests(ports, second)).toEqual([asked.request]);
    await expect(pendingPositionRequests(ports, callerOf(people.chairman))).rejects.toMatchObject({
      status: 403,
    });

    // The administrator who asked cannot approve it; the person it moves cannot decide it either.
    await expect(approvePositionRequest(ports, admin, asked.request.id)).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      approvePositionRequest(ports, callerOf(people.auditor), asked.request.id),
    ).rejects.toMatchObject({ status: 403 });
    expect(revoked).toEqual([]);

    const approved = await approvePositionRequest(ports, second, asked.request.id);
    expect(approved).toMatchObject({
      position: AUDITOR,
      request: { status: 'approved', decidedBy: secondAdmin.id },
    });
    expect((await store.findPerson(people.citySpecialist.id))?.position).toEqual(AUDITOR);
    expect(revoked).toEqual([people.citySpecialist.id]);
    // A retry by the approver answers with the outcome; deciding again is refused.
    expect((await approvePositionRequest(ports, second, asked.request.id)).position).toEqual(AUDITOR);
    await expect(rejectPositionRequest(ports, admin, asked.request.id, undefined)).rejects.toMatchObject({
      status: 409,
    });
    expect(store.log.map((e) => e.type)).toEqual(['position-requested', 'position-approved']);
    expect(store.log[1]).toMatchObject({ by: secondAdmin.id, requestedBy: people.admin.id });
  });

  it('an administrator cannot make themselves an auditor through a colleague’s request either', async () => {
    const { ports } = setup();
    const asked = await changePosition(ports, second, people.admin.id, AUDITOR);
    if (!('request' in asked)) throw new Error('expected a pending request');
    await expect(approvePositionRequest(ports, admin, asked.request.id)).rejects.toMatchObject({
      status: 403,
    });
  });

  it('a request is withdrawn or turned down; one whose person moved meanwhile is not applied', async () => {
    const { ports, store } = setup();
    const withdrawn = await changePosition(ports, admin, people.cityClerk.id, ADMIN);
    if (!('request' in withdrawn)) throw new Error('expected a pending request');
    expect(await rejectPositionRequest(ports, admin, withdrawn.request.id, 'Nhầm người')).toMatchObject({
      status: 'rejected',
      reason: 'Nhầm người',
    });
    const stale = await changePosition(ports, admin, people.otherCitySpecialist.id, AUDITOR);
    if (!('request' in stale)) throw new Error('expected a pending request');
    await changePosition(ports, admin, people.otherCitySpecialist.id, {
      orgId: 'so-noi-vu',
      role: 'specialist',
      title: 'Chuyên viên',
    });
    await expect(approvePositionRequest(ports, second, stale.request.id)).rejects.toMatchObject({
      status: 409,
      code: 'position_request_stale',
    });
    expect((await store.findPerson(people.cityClerk.id))?.position.role).toBe('clerk');
  });

  it('the log is a hash chain: administrators and auditors read it with its check, an edit shows', async () => {
    const { ports, store } = setup();
    const asked = await changePosition(ports, admin, people.cityClerk.id, AUDITOR);
    if (!('request' in asked)) throw new Error('expected a pending request');
    await approvePositionRequest(ports, second, asked.request.id);
    const read = await administrationLog(ports, callerOf(people.auditor));
    expect(read.chain).toEqual({ ok: true, length: 2, head: store.head });
    await expect(administrationLog(ports, callerOf(people.chairman))).rejects.toMatchObject({ status: 403 });
    const [first] = store.log;
    if (!first) throw new Error('no entry');
    store.log[0] = { ...first, by: secondAdmin.id };
    expect(checkAdministrationLog(store.log, store.head)).toMatchObject({ ok: false, atSeq: 1 });
    store.log.pop();
    store.log[0] = first;
    expect(checkAdministrationLog(store.log, store.head)).toMatchObject({ ok: false });
  });
});

describe('an administrator of one organisation (issue 19)', () => {
  const wardAdmin: Actor = {
    id: 'u-ward-admin',
    name: 'Quản Trị Phường',
    position: { orgId: 'phuong-ba-dinh', role: 'admin', title: 'Quản trị hệ thống' },
  };
  const deptAdmin: Actor = {
    id: 'u-dept-admin',
    name: 'Quản Trị Sở',
    position: { orgId: 'so-noi-vu', role: 'admin', title: 'Quản trị hệ thống' },
  };

  it('manages their own organisation and those under it, never another', () => {
    expect(administers(directory, 'ubnd-hanoi', 'phuong-ba-dinh')).toBe(true);
    expect(administers(directory, 'ubnd-hanoi', 'so-noi-vu')).toBe(true);
    expect(administers(directory, 'phuong-ba-dinh', 'phuong-ba-dinh')).toBe(true);
    expect(administers(directory, 'phuong-ba-dinh', 'so-noi-vu')).toBe(false);
    expect(administers(directory, 'phuong-ba-dinh', 'ubnd-hanoi')).toBe(false);
    expect(administers(directory, 'so-noi-vu', 'nowhere')).toBe(false);
  });

  it('changes nobody of another organisation, and moves nobody into one', async () => {
    const { ports, store } = setup();
    await store.savePeople([wardAdmin, deptAdmin]);
    const asDept = callerOf(deptAdmin);
    const to: Position = { orgId: 'so-noi-vu', role: 'specialist', title: 'Chuyên viên' };
    // A ward's specialist taken by another organisation's administrator: refused, nothing written.
    await expect(changePosition(ports, asDept, people.wardSpecialist.id, to)).rejects.toMatchObject({
      status: 403,
    });
    // Their own specialist sent to a ward they do not manage: refused too.
    await expect(
      changePosition(ports, asDept, people.deptSpecialist.id, {
        orgId: 'phuong-ba-dinh',
        role: 'specialist',
        title: 'Chuyên viên',
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(store.log).toEqual([]);
    // Within their own organisation: applied.
    const moved = await changePosition(ports, callerOf(wardAdmin), people.wardSpecialist.id, {
      orgId: 'phuong-ba-dinh',
      role: 'clerk',
      title: 'Văn thư',
    });
    expect(moved).toMatchObject({ position: { role: 'clerk' } });
  });

  it('neither sees nor decides requests about another organisation', async () => {
    const { ports, store } = setup();
    await store.savePeople([wardAdmin, deptAdmin]);
    const asked = await changePosition(ports, admin, people.wardSpecialist.id, {
      orgId: 'phuong-ba-dinh',
      role: 'auditor',
      title: 'Kiểm soát viên',
    });
    if (!('request' in asked)) throw new Error('a guarded position is requested');
    const asDept = callerOf(deptAdmin);
    expect(await pendingPositionRequests(ports, asDept)).toEqual([]);
    expect(await pendingPositionRequests(ports, callerOf(wardAdmin))).toHaveLength(1);
    await expect(approvePositionRequest(ports, asDept, asked.request.id)).rejects.toMatchObject({
      status: 403,
    });
    await expect(rejectPositionRequest(ports, asDept, asked.request.id, undefined)).rejects.toMatchObject({
      status: 403,
    });
  });
});
