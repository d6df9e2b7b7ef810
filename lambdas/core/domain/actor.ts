import * as z from 'zod';
import { DelegationSchema } from './capacity';
import { OrgIdSchema, PersonIdSchema } from './common';
import { PersonSchema, RoleSchema } from './directory';

/**
 * Who acts: the signed-in person with their current position, and the TL./TUQ. delegations they hold
 * (loaded by the caller; never taken from a request body).
 */
export const ActorSchema = PersonSchema.extend({ delegations: z.array(DelegationSchema).optional() });
export type Actor = z.infer<typeof ActorSchema>;

/** The actor as recorded in the circulation log. */
export const EventActorSchema = z.object({ userId: PersonIdSchema, orgId: OrgIdSchema, role: RoleSchema });
export type EventActor = z.infer<typeof EventActorSchema>;

export function eventActor(actor: Actor): EventActor {
  return { userId: actor.id, orgId: actor.position.orgId, role: actor.position.role };
}
