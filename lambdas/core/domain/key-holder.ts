import * as z from 'zod';
import { LineSchema, PersonIdSchema } from './common';

/**
 * Whose signing key: an official's personal key or an organisation's seal. Certificates, CSRs and key
 * policies are made for a holder; who the holder is now (name, position) is read from the directory.
 */
export const KeyHolderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('official'), personId: PersonIdSchema }),
  z.object({ kind: z.literal('seal'), orgId: LineSchema(128) }),
]);
export type KeyHolder = z.infer<typeof KeyHolderSchema>;
