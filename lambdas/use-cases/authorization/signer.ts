import { DomainError } from '../../core/errors';
import { ActivationClaimsSchema, assertActivationCovers } from '../../core/signing/activation-claims';
import { logger } from '../../observability/logger';
import type { ActivationIssuer, ActivationStore, HolderKeys } from '../../ports/signature-authorization';

/*
 * The signer function: the only code that reaches personal and seal keys, and only with the holder's own
 * activation data. It checks the data (signature, audience, expiry, holder, that the digest is listed and
 * not signed before) and then exchanges it with STS for credentials tagged with the holder, which alone
 * let KMS use that holder's key. It parses no PDF and answers no request from the internet.
 */

export interface SignerPorts {
  readonly activations: ActivationStore;
  readonly issuer: Pick<ActivationIssuer, 'verify'>;
  readonly keys: HolderKeys;
  readonly now: () => Date;
}

export interface SignDigest {
  readonly authorizationId: string;
  /** `official:<personId>` or `seal:<orgId>`. */
  readonly holder: string;
  /** The SHA-256 digest to sign (32 bytes). */
  readonly digest: Uint8Array;
}

export async function signDigest(ports: SignerPorts, command: SignDigest): Promise<Uint8Array> {
  if (command.digest.length !== 32) throw new DomainError('signature_activation_other_digest', 403);
  const digest = Buffer.from(command.digest).toString('hex');
  const token = await ports.activations.token(command.authorizationId);
  if (!token) throw new DomainError('signature_activation_invalid', 403);
  const verified = await ports.issuer.verify(token).catch(() => undefined);
  const claims = ActivationClaimsSchema.safeParse(verified);
  if (!claims.success || claims.data.jti !== command.authorizationId)
    throw new DomainError('signature_activation_invalid', 403);
  assertActivationCovers(claims.data, { holder: command.holder, digest }, ports.now());
  // One value per digest and activation: a retry (the caller failed after asking) gets the same value.
  const made = await ports.activations.signatureOf(command.authorizationId, digest);
  if (made) return made;
  const signature = await ports.keys.sign({
    token,
    sessionName: command.authorizationId,
    holder: command.holder,
    digest: command.digest,
  });
  logger.info('digest signed', { authorizationId: command.authorizationId, holder: command.holder, digest });
  return ports.activations.keep(command.authorizationId, digest, signature, claims.data.exp);
}
