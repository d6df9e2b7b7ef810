// zod/mini: the signer function checks these, and its bundle must stay small (docs/SECURITY.md).
import * as z from 'zod/mini';
import { DomainError } from '../errors';

/*
 * Activation data (signature activation data, SAD): the claims of the JWT the activation function issues
 * once the signer has authorized exact digests, and the check the signer function makes before a key is
 * used. Shared by both functions; kept apart from the rest of core/signing so the signer carries little.
 */

/** Activation data lives at most this long (SCAL2: short-lived, single use). */
export const ACTIVATION_SECONDS = 300;
/** One authorization covers at most this many signatures (a batch, ký lô). */
export const MAX_BATCH = 100;
/** The audience of activation data: only the signer accepts it (and STS, for the signer's role). */
export const ACTIVATION_AUDIENCE = 'docflow-signer';
/** The session tag (and key tag) that binds a key to its holder. */
export const HOLDER_TAG = 'docflow:holder';

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

export const ActivationClaimsSchema = z.object({
  iss: z.string().check(z.minLength(1)),
  aud: z.literal(ACTIVATION_AUDIENCE),
  sub: z.string().check(z.minLength(1)),
  jti: z.string().check(z.minLength(1)),
  iat: z.int(),
  exp: z.int(),
  holder: z.string().check(z.minLength(1)),
  factor: z.enum(['passkey', 'totp']),
  /** The digests (hex) the signer may sign with this activation, each once. */
  digests: z.array(hex64).check(z.minLength(1), z.maxLength(MAX_BATCH)),
  /** STS session tags: the holder becomes the session's principal tag. */
  'https://aws.amazon.com/tags': z.object({
    principal_tags: z.record(z.string(), z.array(z.string())),
    transitive_tag_keys: z.optional(z.array(z.string())),
  }),
});
export type ActivationClaims = z.infer<typeof ActivationClaimsSchema>;

/** What the signer checks before it asks for the key: the right holder, a listed digest, still valid. */
export function assertActivationCovers(
  claims: ActivationClaims,
  wanted: { holder: string; digest: string },
  now: Date,
): void {
  if (claims.exp * 1000 <= now.getTime()) throw new DomainError('signature_activation_expired', 403);
  if (claims.holder !== wanted.holder) throw new DomainError('signature_activation_other_key', 403);
  if (!claims.digests.includes(wanted.digest))
    throw new DomainError('signature_activation_other_digest', 403);
}
