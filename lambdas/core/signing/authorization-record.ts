import * as z from 'zod';
import { InstantSchema, Sha256HexSchema } from '../domain/common';

/*
 * A signer's authorization as the circulation log records it beside the signature it allowed (docs/
 * SECURITY.md). Apart from the rest of core/signing, which hashes with node:crypto, because the document
 * view the web reads carries it.
 */

export const AuthorizationFactorSchema = z.enum(['passkey', 'totp']);
export type AuthorizationFactor = z.infer<typeof AuthorizationFactorSchema>;

/** The authorization as the circulation log records it with the signature it allowed. */
export const SignatureAuthorizationSchema = z.object({
  id: z.string().min(1),
  factor: AuthorizationFactorSchema,
  at: InstantSchema,
  /** The digest this signature's key signed, and how many the authorization covered. */
  digest: Sha256HexSchema,
  batchSize: z.int().min(1),
  /** The statement the authenticator signed (its SHA-256 is the challenge). */
  statement: z.object({
    purpose: z.literal('docflow-signature-authorization'),
    personId: z.string(),
    holder: z.string(),
    requests: z.array(z.object({ id: z.string(), documentId: z.string(), digest: z.string() })),
    expiresAt: z.string(),
    nonce: z.string(),
  }),
  /** For a passkey: the WebAuthn assertion and the public key it verifies with (base64url). */
  passkey: z
    .object({
      credentialId: z.string(),
      publicKey: z.string(),
      clientDataJSON: z.string(),
      authenticatorData: z.string(),
      signature: z.string(),
    })
    .optional(),
});
export type SignatureAuthorization = z.infer<typeof SignatureAuthorizationSchema>;
