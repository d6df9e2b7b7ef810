import { DomainError } from '../errors';
import { messageText } from '../i18n/messages';
import type { DigestSigner } from '../ports/signer';
import { bytesEqual } from './asn1';
import { type CertificateInfo, isIssuedBy, parseCertificate } from './certificate';
import { parseCrl } from './crl';
import { revocationStatusAt } from './revocation';

/** How the signing function learns whether the certificate is revoked before it signs. */
export type RevocationCheck =
  /** CRLs to consult (one must be from the certificate's issuer, current, and correctly signed). */
  | { readonly crls: readonly Uint8Array[] }
  /** The caller has checked (e.g. OCSP) and takes responsibility. */
  | 'checked-by-caller';

/**
 * Refuses to sign when the certificate does not belong to the key, is outside its validity, or is revoked.
 * A signature made anyway would be invalid, and signing through KMS costs a request.
 */
export async function assertMaySign(args: {
  signer: DigestSigner;
  certificateChain: readonly Uint8Array[];
  signingTime: Date;
  revocation: RevocationCheck;
  now?: Date;
}): Promise<CertificateInfo> {
  const [leafDer, issuerDer] = args.certificateChain;
  if (!leafDer) throw new Error('the certificate chain is empty');
  const leaf = parseCertificate(leafDer);
  if (!bytesEqual(leaf.spki, await args.signer.publicKeySpki())) {
    throw new DomainError('signing_key_mismatch', 422, { keyId: args.signer.keyId });
  }
  if (args.signingTime < leaf.notBefore || args.signingTime > leaf.notAfter) {
    throw new DomainError('signing_certificate_not_valid', 422, {
      serial: leaf.serial,
      at: args.signingTime.toISOString(),
      notBefore: leaf.notBefore.toISOString(),
      notAfter: leaf.notAfter.toISOString(),
    });
  }
  if (args.revocation === 'checked-by-caller') return leaf;
  const now = args.now ?? new Date();
  const issuer = issuerDer ? parseCertificate(issuerDer) : undefined;
  const crl = args.revocation.crls
    .map(parseCrl)
    .filter((c) => issuer !== undefined && isIssuedBy(leaf, issuer) && c.isSignedBy(issuer))
    .filter((c) => c.nextUpdate === undefined || c.nextUpdate >= now)
    .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
  if (!crl) throw new DomainError('signing_revocation_unknown', 422, { serial: leaf.serial });
  // Judged at the later of now and the claimed time: a revoked certificate may not sign, even backdated.
  const at = new Date(Math.max(now.getTime(), args.signingTime.getTime()));
  const status = revocationStatusAt(crl.entries, leaf.serial, at);
  if (status.status === 'revoked') {
    throw new DomainError('signing_certificate_revoked', 409, {
      serial: leaf.serial,
      revokedAt: status.revokedAt.toISOString(),
      reason: messageText(`revocation_reason_${status.reason}`),
    });
  }
  return leaf;
}
