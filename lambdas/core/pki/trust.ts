import { bytesEqual, pemDecodeAll } from './asn1';
import { type CertificateInfo, isIssuedBy, isSelfSigned, parseCertificate } from './certificate';
import { type CrlInfo, parseCrl } from './crl';
import { type RevocationStatus, revocationStatusAt } from './revocation';

/**
 * The roots a deployment trusts: its own city root and external ones (e.g. the Government Cipher
 * Committee's official-duty root), configured as PEM.
 */
export class TrustStore {
  readonly anchors: readonly CertificateInfo[];

  constructor(anchors: readonly (Uint8Array | CertificateInfo)[]) {
    this.anchors = anchors.map((a) => (a instanceof Uint8Array ? parseCertificate(a) : a));
  }

  static fromPem(...bundles: string[]): TrustStore {
    return new TrustStore(bundles.flatMap((b) => pemDecodeAll(b, 'CERTIFICATE')));
  }

  isAnchor(cert: CertificateInfo): boolean {
    return this.anchors.some((a) => bytesEqual(a.der, cert.der));
  }
}

export type CertificateRevocationCheck = {
  readonly serial: string;
  readonly subject: string;
} & (RevocationStatus | { readonly status: 'unknown' });

export interface PathValidation {
  /** Chains to an anchor, every certificate valid at `at`, none revoked at `at`. */
  readonly valid: boolean;
  readonly trusted: boolean;
  /** Leaf first, anchor last (when found). */
  readonly chain: readonly CertificateInfo[];
  readonly revocation: readonly CertificateRevocationCheck[];
  readonly problems: readonly string[];
}

export interface PathValidationInput {
  readonly certificate: CertificateInfo;
  /** Candidate intermediates (from the CMS, the DSS, configuration). */
  readonly intermediates: readonly CertificateInfo[];
  readonly trust: TrustStore;
  /** The moment validity and revocation are judged at: the signing time. */
  readonly at: Date;
  /** CRLs available (DER or parsed); a certificate without a matching CRL has status "unknown". */
  readonly crls?: readonly (Uint8Array | CrlInfo)[];
  /** Treat "no CRL found" as a failure (off by default: a city CA without CRLs published yet). */
  readonly requireRevocationInfo?: boolean;
}

/**
 * RFC 5280 path validation reduced to what docflow needs: build the chain by name and signature,
 * check validity periods and CA flags at `at`, and revocation from CRLs as of `at` (a certificate revoked
 * after `at` does not invalidate what it signed before).
 */
export function validatePath(input: PathValidationInput): PathValidation {
  const problems: string[] = [];
  const pool = [...input.intermediates, ...input.trust.anchors];
  const chain: CertificateInfo[] = [input.certificate];
  let trusted = input.trust.isAnchor(input.certificate);
  while (!trusted) {
    const current = chain[chain.length - 1] as CertificateInfo;
    if (isSelfSigned(current)) {
      problems.push(`self-signed certificate "${current.subject.display}" is not a trust anchor`);
      break;
    }
    const issuer = pool.find((c) => !chain.includes(c) && isIssuedBy(current, c));
    if (!issuer) {
      problems.push(`no issuer found for "${current.subject.display}"`);
      break;
    }
    chain.push(issuer);
    trusted = input.trust.isAnchor(issuer);
    if (chain.length > 8) {
      problems.push('certificate chain too long');
      break;
    }
  }
  if (!trusted && problems.length === 0) problems.push('chain does not reach a trust anchor');

  chain.forEach((cert, index) => {
    if (input.at < cert.notBefore || input.at > cert.notAfter) {
      problems.push(`"${cert.subject.display}" is not valid at ${input.at.toISOString()}`);
    }
    if (index > 0) {
      if (!cert.isCa) problems.push(`"${cert.subject.display}" is not a CA`);
      if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) {
        problems.push(`"${cert.subject.display}" may not sign certificates`);
      }
      if (cert.pathLength !== undefined && index - 1 > cert.pathLength) {
        problems.push(`path length constraint of "${cert.subject.display}" exceeded`);
      }
    }
  });

  const crls = (input.crls ?? []).map((c) => (c instanceof Uint8Array ? parseCrl(c) : c));
  const revocation: CertificateRevocationCheck[] = [];
  // Anchors are trusted by configuration, not by revocation status.
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i] as CertificateInfo;
    if (input.trust.isAnchor(cert)) break;
    const issuer = chain[i + 1];
    const crl = issuer
      ? crls
          .filter((c) => c.isSignedBy(issuer))
          .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0]
      : undefined;
    if (!crl) {
      revocation.push({ serial: cert.serial, subject: cert.subject.display, status: 'unknown' });
      if (input.requireRevocationInfo) problems.push(`no CRL for "${cert.subject.display}"`);
      continue;
    }
    const status = revocationStatusAt(crl.entries, cert.serial, input.at);
    revocation.push({ serial: cert.serial, subject: cert.subject.display, ...status });
    if (status.status === 'revoked') {
      problems.push(
        `"${cert.subject.display}" was revoked at ${status.revokedAt.toISOString()} (${status.reason})`,
      );
    }
  }
  return { valid: trusted && problems.length === 0, trusted, chain, revocation, problems };
}
