import { createPublicKey } from 'node:crypto';
import type { CertificateInfo } from './certificate';

/*
 * How long a timestamp's evidence holds (PAdES B-LTA): the archive (core/pdf/archive.ts) renews before it
 * lapses, the verifier (core/pdf/verify.ts) reports it.
 */

/**
 * Until when a signature algorithm and key size is taken to resist forgery (ETSI TS 119 312 and SOG-IS's
 * agreed mechanisms, read conservatively): RSA of 2048 bits with SHA-256 to the end of 2030; RSA of 3072
 * bits or more and ECDSA on P-256 or larger to the end of 2035. A later policy moves these dates; a key
 * weaker than these has no horizon at all (the evidence is renewed at once).
 */
export function algorithmHorizon(certificate: CertificateInfo): Date {
  try {
    const details = createPublicKey({
      key: Buffer.from(certificate.spki),
      format: 'der',
      type: 'spki',
    }).asymmetricKeyDetails;
    if (certificate.keyAlgorithm === 'RSA') {
      const bits = details?.modulusLength ?? 0;
      if (bits >= 3072) return new Date('2035-12-31T16:59:59.000Z');
      if (bits >= 2048) return new Date('2030-12-31T16:59:59.000Z');
    } else if (certificate.keyAlgorithm === 'EC') {
      const curve = details?.namedCurve ?? '';
      if (['prime256v1', 'P-256', 'secp384r1', 'P-384', 'secp521r1', 'P-521'].includes(curve))
        return new Date('2035-12-31T16:59:59.000Z');
    }
  } catch {
    // An unreadable key holds nothing.
  }
  return new Date(0);
}

/** A timestamp's evidence lapses with its TSA certificate or its algorithm, whichever comes first. */
export function evidenceHorizon(tsaCertificate: CertificateInfo): Date {
  const horizon = algorithmHorizon(tsaCertificate);
  return new Date(Math.min(horizon.getTime(), tsaCertificate.notAfter.getTime()));
}

/** Hà Nội time as people read it (UTC+7, no daylight saving): 31/12/2030 23:59. */
export function hanoiDateTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(11, 16)} ${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)}`;
}
