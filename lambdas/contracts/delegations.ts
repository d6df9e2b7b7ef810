import * as z from 'zod';
import { DelegationSchema } from '../core/domain/capacity';
import { LineSchema } from '../core/domain/common';
import { GrantDelegationSchema } from '../core/domain/delegations';
import type { RouteContract } from './contract';

export const DelegationViewSchema = DelegationSchema.safeExtend({
  status: z.enum(['active', 'pending', 'ended', 'revoked']),
  orgName: z.string(),
  delegateName: z.string(),
  delegateTitle: z.string(),
  grantedByName: z.string(),
})
  .describe('A TL. (by order) or TUQ. (by authorisation) delegation of signing, D30 Art.13')
  .meta({ id: 'Delegation' });
export type DelegationViewBody = z.infer<typeof DelegationViewSchema>;

export const delegationContracts = {
  'GET /api/delegations': {
    summary:
      "An organisation's TL./TUQ. delegations, revoked and ended ones included (its head, administrators, auditors)",
    query: z.object({
      orgId: LineSchema(80).optional().describe("The caller's own organisation by default"),
    }),
    response: z.array(DelegationViewSchema),
  },
  'POST /api/delegations': {
    summary:
      'Record a TL./TUQ. delegation of signing for an organisation (its head, or an administrator; never to oneself); written to the administration log',
    body: GrantDelegationSchema,
    response: DelegationViewSchema,
    status: 201,
    idempotent: true,
  },
  'POST /api/delegations/{id}/revoke': {
    summary:
      'Revoke a delegation from now on (its head, or an administrator): signatures made under it before stay valid; written to the administration log',
    body: z.object({}).strict(),
    response: DelegationViewSchema,
    idempotent: true,
  },
} as const satisfies Record<string, RouteContract>;
