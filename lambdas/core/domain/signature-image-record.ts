import * as z from 'zod';
import { InstantSchema, Sha256HexSchema } from './common';

/*
 * What the directory records about an official's registered signature image. Apart from the PNG checks
 * (signature-image.ts, which need node:zlib) so that the API contracts the web bundles can show it.
 */

/** What the directory records about a registered image (the bytes live in the archive, under `sha256`). */
export const SignatureImageSchema = z.object({
  sha256: Sha256HexSchema,
  width: z.int().positive(),
  height: z.int().positive(),
  bytes: z.int().positive(),
  uploadedAt: InstantSchema,
});
export type SignatureImage = z.infer<typeof SignatureImageSchema>;
