import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lambdas/core/domain/actor';
import {
  authoriseSigning,
  capacityLines,
  type Delegation,
  DelegationSchema,
  entitledCapacities,
  type SigningCapacity,
} from '../../lambdas/core/domain/capacity';
import { DomainError } from '../../lambdas/core/errors';
import { renderMessage } from '../../lambdas/core/i18n/messages';
import { directory, later, NOW, people } from './domain-fixtures';

const city = directory.city;
const dept = directory.get('so-noi-vu');
const ward = directory.get('phuong-ba-dinh');

function attempt(
  capacity: SigningCapacity,
  who: Actor,
  org = city,
  at = NOW,
  typeId?: 'quyet-dinh' | 'cong-van',
) {
  try {
    return authoriseSigning(capacity, who, who.delegations ?? [], org, at, typeId);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

const tl: Delegation = {
  id: 'del-tl',
  kind: 'TL',
  orgId: 'ubnd-hanoi',
  grantedBy: people.chairman.id,
  delegateId: people.officeChief.id,
  basis: 'Quy chế làm việc của UBND thành phố',
  validFrom: '2025-07-01T00:00:00.000Z',
  documentTypeIds: ['thong-bao', 'cong-van'],
};
const tuq: Delegation = {
  id: 'del-tuq',
  kind: 'TUQ',
  orgId: 'so-noi-vu',
  grantedBy: people.director.id,
  delegateId: people.deptUnitHead.id,
  basis: 'Quyết định 15/QĐ-SNV',
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2026-02-01T00:00:00.000Z',
};

describe('entitlement from the position', () => {
  it('lets the chairman sign TM. the committee or on his own authority, nothing else', () => {
    const caps = entitledCapacities(people.chairman, [], city, NOW);
    expect(caps).toEqual([{ kind: 'own' }, { kind: 'TM' }]);
  });

  it('lets a vice-chairman sign KT., on behalf of the committee or for the chairman only', () => {
    expect(entitledCapacities(people.viceChairman, [], city, NOW)).toEqual([
      { kind: 'KT' },
      { kind: 'KT', onBehalfOfCollective: true },
    ]);
  });

  it('gives a department director own authority only (no collective body)', () => {
    expect(entitledCapacities(people.director, [], dept, NOW)).toEqual([{ kind: 'own' }]);
    expect(entitledCapacities(people.deputyDirector, [], dept, NOW)).toEqual([{ kind: 'KT' }]);
    expect(entitledCapacities(people.actingDirector, [], dept, NOW)).toEqual([{ kind: 'Q' }]);
  });

  it('gives nothing to a clerk, a specialist, a unit head without delegation or a leader of another body', () => {
    for (const who of [
      people.cityClerk,
      people.citySpecialist,
      people.deptUnitHead,
      people.wardChairman,
      people.auditor,
    ])
      expect(entitledCapacities(who, [], city, NOW)).toEqual([]);
  });

  it('answers 403 with the reason, and 422 for TM. in an agency', () => {
    const deputyAsHead = attempt({ kind: 'TM' }, people.viceChairman);
    expect(deputyAsHead).toMatchObject({ code: 'capacity_not_entitled', status: 403 });
    const text = renderMessage('capacity_not_entitled', 'vi', (deputyAsHead as DomainError).params);
    expect(text).toBe(
      'Bạn không có quyền ký với tư cách "TM.": tư cách này dành cho người đứng đầu của Ủy ban nhân dân thành phố Hà Nội.',
    );
    expect(attempt({ kind: 'KT' }, people.chairman)).toMatchObject({
      code: 'capacity_not_entitled',
      status: 403,
    });
    expect(attempt({ kind: 'Q' }, people.director, dept)).toMatchObject({ status: 403 });
    expect(attempt({ kind: 'own' }, people.wardChairman, city)).toMatchObject({ status: 403 });
    expect(attempt({ kind: 'TM' }, people.director, dept)).toMatchObject({
      code: 'capacity_not_applicable',
      status: 422,
    });
    expect(attempt({ kind: 'KT', onBehalfOfCollective: true }, people.deputyDirector, dept)).toMatchObject({
      status: 422,
    });
  });
});

describe('entitlement by delegation (TL., TUQ.)', () => {
  const chief: Actor = { ...people.officeChief, delegations: [tl] };
  const unitHead: Actor = { ...people.deptUnitHead, delegations: [tuq] };

  it('lets the delegate sign TL. for the documents and types covered', () => {
    expect(attempt({ kind: 'TL', delegationId: 'del-tl' }, chief, city, NOW, 'cong-van')).toEqual({
      capacity: { kind: 'TL', delegationId: 'del-tl' },
      delegation: tl,
    });
    expect(attempt({ kind: 'TL', delegationId: 'del-tl' }, chief, city, NOW, 'quyet-dinh')).toMatchObject({
      code: 'capacity_no_delegation',
      status: 403,
    });
    expect(attempt({ kind: 'TL', delegationId: 'del-tl' }, chief, ward, NOW, 'cong-van')).toMatchObject({
      status: 403,
    });
    expect(
      attempt({ kind: 'TL', delegationId: 'del-tl' }, people.officeChief, city, NOW, 'cong-van'),
    ).toMatchObject({
      status: 403,
    });
  });

  it('honours the validity period of a TUQ.', () => {
    const cap: SigningCapacity = { kind: 'TUQ', delegationId: 'del-tuq' };
    expect(attempt(cap, unitHead, dept, NOW)).toMatchObject({ delegation: tuq });
    expect(attempt(cap, unitHead, dept, new Date('2026-02-01T00:00:00.000Z'))).toMatchObject({ status: 403 });
    expect(attempt(cap, unitHead, dept, new Date('2025-12-31T23:59:59.000Z'))).toMatchObject({ status: 403 });
    expect(attempt({ kind: 'TL', delegationId: 'del-tuq' }, unitHead, dept, NOW)).toMatchObject({
      status: 403,
    });
    expect(entitledCapacities(unitHead, unitHead.delegations ?? [], dept, later(60))).toEqual([cap]);
  });

  it('requires TUQ. to be time-limited and never passed on', () => {
    const { validUntil: _, ...open } = tuq;
    expect(DelegationSchema.safeParse(open).success).toBe(false);
    expect(DelegationSchema.safeParse({ ...tuq, viaDeputyOf: 'Giám đốc' }).success).toBe(false);
    expect(DelegationSchema.safeParse({ ...tuq, validUntil: tuq.validFrom }).success).toBe(false);
    expect(DelegationSchema.safeParse(tuq).success).toBe(true);
    expect(DelegationSchema.safeParse(tl).success).toBe(true);
  });
});

describe('capacity lines above the name', () => {
  it('renders the committee’s forms', () => {
    expect(capacityLines({ kind: 'TM' }, city, people.chairman.position)).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
    ]);
    expect(capacityLines({ kind: 'own' }, city, people.chairman.position)).toEqual(['CHỦ TỊCH']);
    expect(
      capacityLines({ kind: 'KT', onBehalfOfCollective: true }, city, people.viceChairman.position),
    ).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(capacityLines({ kind: 'KT' }, city, people.viceChairman.position)).toEqual([
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
    ]);
    expect(capacityLines({ kind: 'Q', onBehalfOfCollective: true }, ward, people.wardVice.position)).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'Q. CHỦ TỊCH',
    ]);
  });

  it('renders an agency’s forms', () => {
    expect(capacityLines({ kind: 'own' }, dept, people.director.position)).toEqual(['GIÁM ĐỐC']);
    expect(capacityLines({ kind: 'KT' }, dept, people.deputyDirector.position)).toEqual([
      'KT. GIÁM ĐỐC',
      'PHÓ GIÁM ĐỐC',
    ]);
    expect(capacityLines({ kind: 'Q' }, dept, people.actingDirector.position)).toEqual(['Q. GIÁM ĐỐC']);
  });

  it('renders TL. and TUQ., with a unit deputy’s KT. line and a printed title', () => {
    expect(
      capacityLines({ kind: 'TL', delegationId: 'del-tl' }, city, people.officeChief.position, tl),
    ).toEqual(['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG']);
    const viaDeputy: Delegation = { ...tl, viaDeputyOf: 'Chánh Văn phòng' };
    const deputyPosition = {
      ...people.officeChief.position,
      rank: 'deputy' as const,
      title: 'Phó Chánh Văn phòng',
    };
    expect(capacityLines({ kind: 'TL', delegationId: 'del-tl' }, city, deputyPosition, viaDeputy)).toEqual([
      'TL. CHỦ TỊCH',
      'KT. CHÁNH VĂN PHÒNG',
      'PHÓ CHÁNH VĂN PHÒNG',
    ]);
    expect(
      capacityLines({ kind: 'TUQ', delegationId: 'del-tuq' }, dept, people.deptUnitHead.position, {
        ...tuq,
        signerTitle: 'Trưởng phòng Tổ chức biên chế',
      }),
    ).toEqual(['TUQ. GIÁM ĐỐC', 'TRƯỞNG PHÒNG TỔ CHỨC BIÊN CHẾ']);
  });
});
