// TL./TUQ. delegations as data (issue 17, item 4), through the use cases with in-memory ports: recorded and
// revoked by the head (or an administrator) with an administration log entry each, used by the delegate with
// their own key and authorization, refused with the reason once ended or revoked.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import { checkAdministrationLog } from '../../lambdas/core/domain/administration';
import type { Caller } from '../../lambdas/core/domain/caller';
import type { GrantDelegation } from '../../lambdas/core/domain/delegations';
import { DomainError } from '../../lambdas/core/errors';
import { renderError } from '../../lambdas/core/i18n/messages';
import { createDelegation, delegationsOf, revokeDelegationById } from '../../lambdas/use-cases/delegations';
import { createDraft, outgoingCommand, recordContent } from '../../lambdas/use-cases/drafts';
import { requestSignature, sign } from '../../lambdas/use-cases/signing';
import { authorizeAll } from '../support/authorize';
import { memoryPorts } from '../support/memory-ports';
import { directory, later, NOW, people } from '../unit/domain-fixtures';

const callerOf = (actor: Actor): Caller => ({ actor, directory });
const chairman = callerOf(people.chairman);
const specialist = callerOf(people.citySpecialist);
const admin = callerOf(people.admin);

type Ports = Awaited<ReturnType<typeof setup>>;
const setup = () => memoryPorts(directory, Object.values(people), NOW);

/** The Chief of Office as a request sees them: with the delegations the store holds for them now. */
async function chief(ports: Ports): Promise<Caller> {
  const delegations = await ports.directory.listDelegations({ delegateId: people.officeChief.id });
  return { ...callerOf({ ...people.officeChief, delegations }), at: ports.now() };
}

async function approvedDraft(ports: Ports) {
  const { id } = await createDraft(ports, specialist, {
    typeId: 'cong-van',
    subject: 'Về việc giao ký thừa lệnh',
    urgency: 'normal',
    recipients: [],
    draftingUnitCode: 'KGVX',
  });
  ports.files.uploads.set(`uploads/${id}/draft.pdf`, new TextEncoder().encode('%PDF-1.7 giao ký'));
  await recordContent(ports, specialist, id);
  await outgoingCommand(ports, specialist, id, { type: 'submit' });
  await outgoingCommand(ports, chairman, id, { type: 'approve' });
  return id;
}

const tl: GrantDelegation = {
  kind: 'TL',
  orgId: 'ubnd-hanoi',
  delegateId: people.officeChief.id,
  basis: 'Quy chế làm việc, Quyết định 15/QĐ-UBND',
  validFrom: NOW.toISOString(),
  validUntil: later(24 * 60).toISOString(),
  documentTypeIds: ['cong-van'],
};

describe('a TL. delegation', () => {
  it('lets the Chief of Office sign "TL. CHỦ TỊCH" with their own key, recorded in the log and the signature', async () => {
    const ports = await setup();
    const granted = await createDelegation(ports, chairman, tl);
    expect(granted).toMatchObject({
      status: 'active',
      grantedBy: people.chairman.id,
      delegateName: 'Cù Ngọc Trang',
    });
    const { entries, head } = await ports.directory.readAdministrationLog();
    expect(entries).toMatchObject([
      { type: 'delegation-granted', by: people.chairman.id, delegation: { id: granted.id } },
    ]);
    expect(checkAdministrationLog(entries, head)).toMatchObject({ ok: true, length: 1 });

    const id = await approvedDraft(ports);
    const delegate = await chief(ports);
    const capacity = { kind: 'TL', delegationId: granted.id } as const;
    const prepared = await requestSignature(ports, delegate, id, { capacity });
    await authorizeAll(ports, delegate, [prepared.requestId]);
    expect((await sign(ports, delegate, id, prepared.requestId)).state).toBe('SIGNED');
    const signed = (await ports.documents.readLog(id)).find((e) => e.type === 'signed');
    expect(signed?.type === 'signed' && signed.payload.signature).toMatchObject({
      signerId: people.officeChief.id,
      capacity,
      delegationId: granted.id,
      lines: ['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'],
    });
    // The delegate's own key, never the chairman's.
    expect(ports.signer.keys.signed.map((s) => s.holder)).toEqual([`official:${people.officeChief.id}`]);
  });

  it('is refused with the reason once it has ended, and once revoked', async () => {
    const ports = await setup();
    const granted = await createDelegation(ports, chairman, tl);
    const capacity = { kind: 'TL', delegationId: granted.id } as const;
    const id = await approvedDraft(ports);
    ports.advance(25 * 60);
    const ended = await requestSignature(ports, await chief(ports), id, { capacity }).catch((e) => e);
    expect(ended).toMatchObject({ code: 'delegation_ended', status: 403 });
    expect(renderError(ended as DomainError, 'vi')).toContain('hết hiệu lực lúc 06/01/2026 09:00');
    expect(renderError(ended as DomainError, 'en')).toContain('ended at 06/01/2026 09:00');

    const second = await createDelegation(ports, chairman, {
      ...tl,
      validFrom: undefined,
      validUntil: undefined,
    });
    const again = { kind: 'TL', delegationId: second.id } as const;
    const prepared = await requestSignature(ports, await chief(ports), id, { capacity: again });
    await authorizeAll(ports, await chief(ports), [prepared.requestId]);
    expect(await revokeDelegationById(ports, chairman, second.id)).toMatchObject({ status: 'revoked' });
    // Prepared and authorized before the revocation: still refused, since it no longer holds.
    await expect(sign(ports, await chief(ports), id, prepared.requestId)).rejects.toMatchObject({
      code: 'delegation_revoked',
      status: 403,
    });
    await expect(revokeDelegationById(ports, chairman, second.id)).rejects.toMatchObject({
      code: 'delegation_already_revoked',
      status: 409,
    });
    expect(ports.signer.keys.signed).toEqual([]);
    const { entries } = await ports.directory.readAdministrationLog();
    expect(entries.map((e) => (e as { type: string }).type)).toEqual([
      'delegation-granted',
      'delegation-granted',
      'delegation-revoked',
    ]);
    expect((await delegationsOf(ports, chairman, undefined)).map((d) => d.status).sort()).toEqual([
      'ended',
      'revoked',
    ]);
  });

  it('is given by the head or an administrator, never to oneself, and only to a leader', async () => {
    const ports = await setup();
    await expect(createDelegation(ports, specialist, tl)).rejects.toMatchObject({
      code: 'delegation_grant_forbidden',
      status: 403,
    });
    await expect(
      createDelegation(ports, await chief(ports), { ...tl, delegateId: people.officeChief.id }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      createDelegation(ports, admin, { ...tl, delegateId: people.admin.id }),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(
      createDelegation(ports, chairman, { ...tl, delegateId: people.citySpecialist.id }),
    ).rejects.toMatchObject({ code: 'delegation_delegate_not_leader', status: 422 });
    await expect(createDelegation(ports, admin, tl)).resolves.toMatchObject({ grantedBy: people.admin.id });
    await expect(delegationsOf(ports, specialist, 'ubnd-hanoi')).rejects.toMatchObject({ status: 403 });
  });
});
