import * as z from 'zod';
import { DomainError } from '../errors';
import { issueMessage, type MessageParam, type MessageParams, messageText } from '../i18n/messages';
import { InstantSchema, OrgIdSchema, PersonIdSchema } from './common';
import type { Organisation, Person, Position } from './directory';
import { type DocumentTypeId, DocumentTypeIdSchema } from './document-types';
import { rankLabelParams } from './labels';

/**
 * Signing capacity (thẩm quyền ký, D30 Art.13 and PL I §I.7a):
 * - `own`: the head signs on their own authority (`GIÁM ĐỐC`; a chairman's own competence: `CHỦ TỊCH`);
 * - `TM`: the head of a collective body signs on its behalf (`TM. ỦY BAN NHÂN DÂN` / `CHỦ TỊCH`);
 * - `KT`: a deputy signs for the head (`KT. GIÁM ĐỐC` / `PHÓ GIÁM ĐỐC`); in a collective body, on the
 *   committee's behalf as well (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`). A deputy put in
 *   charge (phụ trách, điều hành) also signs KT.;
 * - `Q`: a person given the head's powers (`Q. GIÁM ĐỐC`; `TM. ỦY BAN NHÂN DÂN` / `Q. CHỦ TỊCH`);
 * - `TL`: by order, a unit head named in the working rules (`TL. CHỦ TỊCH` / `CHÁNH VĂN PHÒNG`); the unit
 *   head's deputy may sign in their place (`TL. CHỦ TỊCH` / `KT. CHÁNH VĂN PHÒNG` / `PHÓ CHÁNH VĂN PHÒNG`);
 * - `TUQ`: by written, time-limited authorisation, never re-delegated; the document keeps the authorising
 *   organisation's format and seal (`TUQ. GIÁM ĐỐC` / `TRƯỞNG PHÒNG …`).
 * TL. and TUQ. need a {@link Delegation} given explicitly; the others follow from the position.
 */

export const CapacityKindSchema = z.enum(['own', 'TM', 'KT', 'Q', 'TL', 'TUQ']);
export type CapacityKind = z.infer<typeof CapacityKindSchema>;

export const SigningCapacitySchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('own') }),
    z.object({ kind: z.literal('TM') }),
    z.object({
      kind: z.literal('KT'),
      /** Also on behalf of the collective body (TM. … / KT. …): only where governance is collective. */
      onBehalfOfCollective: z.boolean().optional(),
    }),
    z.object({ kind: z.literal('Q'), onBehalfOfCollective: z.boolean().optional() }),
    z.object({ kind: z.literal('TL'), delegationId: z.string().min(1) }),
    z.object({ kind: z.literal('TUQ'), delegationId: z.string().min(1) }),
  ])
  .describe('Signing capacity (D30 Art.13)');
export type SigningCapacity = z.infer<typeof SigningCapacitySchema>;

/**
 * A written assignment to sign TL. (by order, set in the working rules) or TUQ. (by authorisation, a
 * written, time-limited decision of the head). It is granted by the organisation whose documents are signed.
 */
export const DelegationSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['TL', 'TUQ']),
    /** The organisation whose documents the delegate signs (and whose seal they carry). */
    orgId: OrgIdSchema,
    grantedBy: PersonIdSchema,
    delegateId: PersonIdSchema,
    /** The rule or decision that grants it, e.g. `Quyết định 15/QĐ-UBND`. */
    basis: z.string().trim().min(1).max(300),
    validFrom: InstantSchema,
    /** Exclusive end. Required for TUQ. (time-limited). */
    validUntil: InstantSchema.optional(),
    /** Limits the delegation to these document types; absent means every type. */
    documentTypeIds: z.array(DocumentTypeIdSchema).min(1).optional(),
    /** TL. only: the delegate signs as deputy of this unit head (`Chánh Văn phòng`), adding a KT. line. */
    viaDeputyOf: z.string().trim().min(1).max(120).optional(),
    /** The title as printed when it differs from the position title (`Giám đốc Sở Xây dựng`). */
    signerTitle: z.string().trim().min(1).max(120).optional(),
    /** When it was recorded (the administration log has the entry). */
    grantedAt: InstantSchema.optional(),
    /** Revoked from this moment on: no signature relies on it afterwards. */
    revokedAt: InstantSchema.optional(),
    revokedBy: PersonIdSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'TUQ' && !d.validUntil)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], ...issueMessage('invalid_tuq_time_limited') });
    if (d.kind === 'TUQ' && d.viaDeputyOf)
      ctx.addIssue({
        code: 'custom',
        path: ['viaDeputyOf'],
        ...issueMessage('invalid_tuq_not_passed_on'),
      });
    if (d.validUntil && d.validUntil <= d.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], ...issueMessage('invalid_validity_reversed') });
  });
export type Delegation = z.infer<typeof DelegationSchema>;

/** The mark written before the title: `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.`, or nothing. */
export function capacityMark(capacity: SigningCapacity): string {
  return capacity.kind === 'own' ? '' : `${capacity.kind}.`;
}

function capacityName(capacity: SigningCapacity): MessageParam {
  if ((capacity.kind === 'KT' || capacity.kind === 'Q') && capacity.onBehalfOfCollective)
    return `TM. + ${capacity.kind}.`;
  return capacity.kind === 'own' ? messageText('label_capacity_own') : capacityMark(capacity);
}

const upper = (text: string) => text.toLocaleUpperCase('vi');

/** Hà Nội time (UTC+7, no daylight saving), as people read it: 05/01/2026 09:30. */
export function hanoiClock(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

/** Whether `d` lets its delegate sign a document of type `typeId` at `at` (never once revoked). */
export function delegationInForce(d: Delegation, at: Date, typeId: DocumentTypeId | undefined): boolean {
  if (d.revokedAt) return false;
  const t = at.toISOString();
  if (t < d.validFrom) return false;
  if (d.validUntil && t >= d.validUntil) return false;
  return !d.documentTypeIds || (typeId !== undefined && d.documentTypeIds.includes(typeId));
}

/** The delegation exists but no longer (or not yet) holds: say which, and since when. */
function assertDelegationPeriod(held: Delegation, params: MessageParams, at: Date): void {
  if (held.revokedAt)
    throw new DomainError('delegation_revoked', 403, { ...params, time: hanoiClock(held.revokedAt) });
  const t = at.toISOString();
  if (t < held.validFrom)
    throw new DomainError('delegation_not_started', 403, { ...params, time: hanoiClock(held.validFrom) });
  if (held.validUntil && t >= held.validUntil)
    throw new DomainError('delegation_ended', 403, { ...params, time: hanoiClock(held.validUntil) });
}

/**
 * Before a TL./TUQ. signature even reads the document: the delegation it names, if the person holds it, must
 * be in its period and not revoked. A delegate reads the organisation's documents only while a delegation is
 * in force (visibility.ts), so without this an ended one would meet a bare 404 instead of saying why.
 */
export function assertDelegationHeld(
  capacity: SigningCapacity,
  person: Person,
  delegations: readonly Delegation[],
  orgName: (orgId: string) => string,
  at: Date,
): void {
  if (capacity.kind !== 'TL' && capacity.kind !== 'TUQ') return;
  const held = delegations.find(
    (d) => d.id === capacity.delegationId && d.kind === capacity.kind && d.delegateId === person.id,
  );
  if (held)
    assertDelegationPeriod(held, { capacity: capacityMark(capacity), orgName: orgName(held.orgId) }, at);
}

export interface SigningAuthority {
  readonly capacity: SigningCapacity;
  /** The delegation used, for TL. and TUQ. */
  readonly delegation?: Delegation;
}

/**
 * Checks that `person` may sign a document of `org` (of type `typeId`, at `at`) with `capacity`; returns the
 * delegation used for TL./TUQ. Throws 422 when the capacity does not exist for the organisation (TM. in an
 * agency) and 403 when the person is not entitled to it.
 */
export function authoriseSigning(
  capacity: SigningCapacity,
  person: Person,
  delegations: readonly Delegation[],
  org: Organisation,
  at: Date,
  typeId?: DocumentTypeId,
): SigningAuthority {
  const collective = org.governance === 'collective';
  const wantsCollective =
    capacity.kind === 'TM' ||
    ((capacity.kind === 'KT' || capacity.kind === 'Q') && capacity.onBehalfOfCollective === true);
  if (wantsCollective && !collective)
    throw new DomainError('capacity_not_applicable', 422, {
      capacity: capacityName(capacity),
      orgName: org.name,
    });

  const p = person.position;
  if (capacity.kind === 'TL' || capacity.kind === 'TUQ') {
    const held = delegations.find(
      (d) =>
        d.id === capacity.delegationId &&
        d.kind === capacity.kind &&
        d.delegateId === person.id &&
        d.orgId === org.id &&
        p.role === 'leader',
    );
    const params = { capacity: capacityMark(capacity), orgName: org.name };
    if (held) assertDelegationPeriod(held, params, at);
    if (!held || !delegationInForce(held, at, typeId))
      throw new DomainError('capacity_no_delegation', 403, params);
    return { capacity, delegation: held };
  }

  const rank =
    capacity.kind === 'own' || capacity.kind === 'TM'
      ? 'head'
      : capacity.kind === 'KT'
        ? 'deputy'
        : 'acting-head';
  const leadsOrg = p.role === 'leader' && p.orgId === org.id && !p.unitCode;
  if (!leadsOrg || p.rank !== rank)
    throw new DomainError('capacity_not_entitled', 403, {
      capacity: capacityName(capacity),
      orgName: org.name,
      ...rankLabelParams(rank),
    });
  return { capacity };
}

/** Every capacity `person` may use for a document of `org` at `at` (for a form's choices). */
export function entitledCapacities(
  person: Person,
  delegations: readonly Delegation[],
  org: Organisation,
  at: Date,
  typeId?: DocumentTypeId,
): SigningCapacity[] {
  const candidates: SigningCapacity[] = [
    { kind: 'own' },
    { kind: 'TM' },
    { kind: 'KT' },
    { kind: 'KT', onBehalfOfCollective: true },
    { kind: 'Q' },
    { kind: 'Q', onBehalfOfCollective: true },
    ...delegations.map((d) => ({ kind: d.kind, delegationId: d.id })),
  ];
  return candidates.filter((c) => {
    try {
      authoriseSigning(c, person, delegations, org, at, typeId);
      return true;
    } catch (e) {
      if (e instanceof DomainError) return false;
      throw e;
    }
  });
}

/**
 * The bold capital lines above the signer's name (D30 PL I §I.7): capacity, then titles.
 * `delegation` is needed for TL. and TUQ. (the KT. line of a unit deputy, a printed title that differs).
 */
export function capacityLines(
  capacity: SigningCapacity,
  org: Organisation,
  position: Position,
  delegation?: Delegation,
): string[] {
  const head = upper(org.headTitle);
  const own = upper(position.title);
  const onBehalf = org.collectiveName ? [`TM. ${upper(org.collectiveName)}`] : [];
  switch (capacity.kind) {
    case 'own':
      return [own];
    case 'TM':
      return [...onBehalf, own];
    case 'KT':
      return [...(capacity.onBehalfOfCollective ? onBehalf : []), `KT. ${head}`, own];
    case 'Q':
      return [...(capacity.onBehalfOfCollective ? onBehalf : []), `Q. ${head}`];
    case 'TL':
    case 'TUQ': {
      const title = upper(delegation?.signerTitle ?? position.title);
      const deputy =
        capacity.kind === 'TL' && delegation?.viaDeputyOf ? [`KT. ${upper(delegation.viaDeputyOf)}`] : [];
      return [`${capacity.kind}. ${head}`, ...deputy, title];
    }
  }
}
