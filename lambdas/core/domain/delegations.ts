import * as z from 'zod';
import { delegationError } from '../i18n/delegations';
import { issueMessage } from '../i18n/messages';
import type { Actor } from './actor';
import { type Delegation, DelegationSchema, hanoiClock } from './capacity';
import { InstantSchema, OrgIdSchema, PersonIdSchema } from './common';
import { administers, type Directory, type Person } from './directory';
import { DocumentTypeIdSchema } from './document-types';

/*
 * TL. and TUQ. delegations as data (D30 Art.13): the head of an organisation (or an administrator recording
 * the head's written decision) gives a leader the right to sign the organisation's documents "by order" or
 * "by authorisation", for some document types, from one moment to another. Each grant and revocation is an
 * entry of the administration log (administration-records.ts). The delegate still signs with their own key,
 * after their own authorization: a delegation widens what they may sign, never whose key signs.
 *
 * Separation of duties: nobody delegates to themselves; an administrator records a delegation for any
 * organisation but, like every other change they make, not one that names themselves.
 */

export const GrantDelegationSchema = z
  .object({
    kind: z.enum(['TL', 'TUQ']),
    orgId: OrgIdSchema.describe('The organisation whose documents the delegate signs'),
    delegateId: PersonIdSchema,
    basis: z.string().trim().min(1).max(300).describe('The rule or decision, e.g. "Quyết định 15/QĐ-UBND"'),
    validFrom: InstantSchema.optional().describe('From now when absent'),
    validUntil: InstantSchema.optional().describe('Exclusive end; required for TUQ.'),
    documentTypeIds: z.array(DocumentTypeIdSchema).min(1).optional(),
    viaDeputyOf: z.string().trim().min(1).max(120).optional(),
    signerTitle: z.string().trim().min(1).max(120).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === 'TUQ' && !d.validUntil)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], ...issueMessage('invalid_tuq_time_limited') });
    if (d.kind === 'TUQ' && d.viaDeputyOf)
      ctx.addIssue({ code: 'custom', path: ['viaDeputyOf'], ...issueMessage('invalid_tuq_not_passed_on') });
    if (d.validFrom && d.validUntil && d.validUntil <= d.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], ...issueMessage('invalid_validity_reversed') });
  });
export type GrantDelegation = z.infer<typeof GrantDelegationSchema>;

/**
 * Whether the caller may record or revoke delegations of `orgId`: its head, or an administrator of it (never
 * of another organisation, as for positions).
 */
function mayManage(actor: Actor, directory: Directory, orgId: string): boolean {
  const p = actor.position;
  if (p.role === 'admin') return administers(directory, p.orgId, orgId);
  return p.role === 'leader' && p.rank === 'head' && p.orgId === orgId && !p.unitCode;
}

export function assertMayManageDelegations(actor: Actor, directory: Directory, orgId: string): void {
  if (!mayManage(actor, directory, orgId))
    throw delegationError('delegation_grant_forbidden', 403, { orgName: directory.get(orgId).name });
}

/** Who may list an organisation's delegations: those who manage them, and auditors (they read, change nothing). */
export function assertMayListDelegations(actor: Actor, directory: Directory, orgId: string): void {
  if (actor.position.role === 'auditor' || mayManage(actor, directory, orgId)) return;
  throw delegationError('delegation_list_forbidden', 403, { orgName: directory.get(orgId).name });
}

/**
 * The delegation a grant records, checked: the caller may manage the organisation's delegations, the
 * delegate is a leader other than the caller and not the organisation's own head; the schema checks the
 * rest (TUQ. time-limited and never passed on, the period not reversed).
 */
export function grantDelegation(
  actor: Actor,
  directory: Directory,
  delegate: Person | undefined,
  command: GrantDelegation,
  id: string,
  now: Date,
): Delegation {
  const org = directory.get(command.orgId);
  assertMayManageDelegations(actor, directory, org.id);
  if (!delegate) throw delegationError('delegation_delegate_unknown', 422, { id: command.delegateId });
  if (delegate.id === actor.id) throw delegationError('delegation_to_oneself', 403);
  const p = delegate.position;
  if (p.role !== 'leader')
    throw delegationError('delegation_delegate_not_leader', 422, { name: delegate.name, title: p.title });
  if (p.orgId === org.id && p.rank === 'head' && !p.unitCode)
    throw delegationError('delegation_delegate_is_head', 422, { name: delegate.name, orgName: org.name });
  const at = now.toISOString();
  const validFrom = command.validFrom ?? at;
  if (command.validUntil && command.validUntil <= validFrom)
    throw delegationError('delegation_ends_before_start', 422, { time: hanoiClock(command.validUntil) });
  return DelegationSchema.parse({
    id,
    kind: command.kind,
    orgId: org.id,
    grantedBy: actor.id,
    delegateId: delegate.id,
    basis: command.basis,
    validFrom,
    ...(command.validUntil ? { validUntil: command.validUntil } : {}),
    ...(command.documentTypeIds ? { documentTypeIds: command.documentTypeIds } : {}),
    ...(command.viaDeputyOf ? { viaDeputyOf: command.viaDeputyOf } : {}),
    ...(command.signerTitle ? { signerTitle: command.signerTitle } : {}),
    grantedAt: at,
  });
}

/** The delegation revoked from `now` on; refused when it is revoked already or has ended by itself. */
export function revokeDelegation(
  actor: Actor,
  directory: Directory,
  delegation: Delegation,
  now: Date,
): Delegation {
  assertMayManageDelegations(actor, directory, delegation.orgId);
  if (delegation.revokedAt)
    throw delegationError('delegation_already_revoked', 409, {
      id: delegation.id,
      time: hanoiClock(delegation.revokedAt),
    });
  const at = now.toISOString();
  if (delegation.validUntil && delegation.validUntil <= at)
    throw delegationError('delegation_already_ended', 409, {
      id: delegation.id,
      time: hanoiClock(delegation.validUntil),
    });
  return { ...delegation, revokedAt: at, revokedBy: actor.id };
}

/** Where a delegation stands at `now`, for listings. */
export type DelegationStatus = 'active' | 'pending' | 'ended' | 'revoked';

export function delegationStatus(d: Delegation, now: Date): DelegationStatus {
  const t = now.toISOString();
  if (d.revokedAt) return 'revoked';
  if (t < d.validFrom) return 'pending';
  if (d.validUntil && t >= d.validUntil) return 'ended';
  return 'active';
}
