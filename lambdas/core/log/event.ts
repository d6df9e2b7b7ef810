import * as z from 'zod';
import { Sha256HexSchema } from '../domain/common';
import { EventBodySchema, EventDraftBaseSchema } from '../domain/events';

/**
 * One entry of a document's circulation log: an event (domain/events.ts) placed in a hash chain.
 * `hash` = SHA-256 (hex) of the RFC 8785 canonical JSON of the event without `hash`; `prevHash` is the
 * previous event's `hash`, or 64 zeros for `seq` 1.
 */
export const CirculationEventSchema = z.intersection(
  EventDraftBaseSchema.extend({
    seq: z.int().min(1),
    prevHash: Sha256HexSchema,
    hash: Sha256HexSchema,
  }),
  EventBodySchema,
);
export type CirculationEvent = z.infer<typeof CirculationEventSchema>;
