import * as z from 'zod';
import { DelegationSchema } from './capacity';
import { InstantSchema, NoteSchema, PersonIdSchema, Sha256HexSchema } from './common';
import { PositionSchema } from './directory';

/*
 * The records of administration (core/domain/administration.ts): requests for a guarded position and the
 * administration log's entries. Apart from the rules, which hash with node:crypto, so that the contracts
 * and the web bundle that reads them do not reach it.
 */

export const PositionRequestStatusSchema = z.enum(['pending', 'approved', 'rejected']);

export const PositionRequestSchema = z.object({
  id: z.string().min(1).max(128),
  personId: PersonIdSchema,
  /** The position the person had when it was requested (the approval applies only if it still is). */
  from: PositionSchema,
  position: PositionSchema,
  requestedBy: PersonIdSchema,
  requestedAt: InstantSchema,
  status: PositionRequestStatusSchema,
  decidedBy: PersonIdSchema.optional(),
  decidedAt: InstantSchema.optional(),
  reason: NoteSchema.optional(),
});
export type PositionRequest = z.infer<typeof PositionRequestSchema>;

// --- The administration log ------------------------------------------------------------------------------

export const AdministrationEntryTypeSchema = z.enum([
  /** A position changed at once (no guarded role). */
  'position-changed',
  /** A guarded position was asked for. */
  'position-requested',
  /** A second administrator approved it: the position changed. */
  'position-approved',
  /** A second administrator (or the one who asked) turned it down. */
  'position-rejected',
  /** A person was added to the directory (`from` null). */
  'person-added',
  /**
   * A person left (`to` null): their sign-in disabled, their certificate revoked, and what was pending with
   * them handed to `successorId` (the documents in `handedOver`), in this one step.
   */
  'person-departed',
]);
export type AdministrationEntryType = z.infer<typeof AdministrationEntryTypeSchema>;

export const PositionEntryBodySchema = z.object({
  type: AdministrationEntryTypeSchema,
  at: InstantSchema,
  /** The administrator who acted. */
  by: PersonIdSchema,
  personId: PersonIdSchema,
  from: PositionSchema.nullable(),
  /** Null when the person left. */
  to: PositionSchema.nullable(),
  requestId: z.string().optional(),
  /** The administrator who asked, on an approval or a rejection. */
  requestedBy: PersonIdSchema.optional(),
  reason: NoteSchema.optional(),
  /** On a departure: who took over what was pending, and those documents' ids. */
  successorId: PersonIdSchema.optional(),
  handedOver: z.array(z.string().max(128)).max(10_000).optional(),
});

/** A TL./TUQ. delegation recorded (granted) or revoked: the delegation as it is after the change. */
export const DelegationEntryBodySchema = z.object({
  type: z.enum(['delegation-granted', 'delegation-revoked']),
  at: InstantSchema,
  /** Who recorded it: the organisation's head, or an administrator. */
  by: PersonIdSchema,
  delegation: DelegationSchema,
});

export const AdministrationEntryBodySchema = z.union([PositionEntryBodySchema, DelegationEntryBodySchema]);
export type AdministrationEntryBody = z.infer<typeof AdministrationEntryBodySchema>;

const chained = { seq: z.int().min(1), prevHash: Sha256HexSchema, hash: Sha256HexSchema };
export const AdministrationEntrySchema = z.union([
  PositionEntryBodySchema.extend(chained),
  DelegationEntryBodySchema.extend(chained),
]);
export type AdministrationEntry = z.infer<typeof AdministrationEntrySchema>;
