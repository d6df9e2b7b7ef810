// zod/mini: the signer function validates this, and its bundle must stay small (docs/SECURITY.md).
import * as z from 'zod/mini';

/*
 * What the `signing` function may ask the signer function (lambdas/handlers/signer.ts) through Lambda Invoke:
 * one signature value over one digest, under an authorization. The signer reads the activation data itself;
 * the caller names it only by id.
 */

/** Why the signer refuses: message codes (lambdas/core/i18n/messages.ts). */
export const SIGNER_REFUSALS = [
  'signature_activation_invalid',
  'signature_activation_expired',
  'signature_activation_other_key',
  'signature_activation_other_digest',
] as const;

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));

export const SignerCommandSchema = z.object({
  authorizationId: z.string().check(z.minLength(1), z.maxLength(64)),
  holder: z.string().check(z.regex(/^(official|seal):[A-Za-z0-9_.@-]{1,128}$/)),
  /** The SHA-256 digest, base64. */
  digest: base64.check(z.maxLength(64)),
});
export type SignerCommand = z.infer<typeof SignerCommandSchema>;

export const SignerResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), signature: base64 }),
  /** A refusal (no valid authorization for this digest): a message code the caller turns into a 4xx. */
  z.object({
    ok: z.literal(false),
    code: z.enum(SIGNER_REFUSALS),
    status: z.union([z.literal(403), z.literal(409)]),
  }),
]);
export type SignerResult = z.infer<typeof SignerResultSchema>;
