import type { Organisation, Person } from '../core/domain/directory';
import type { KeyHolder } from '../core/domain/key-holder';
import type { RevocationReason } from '../core/pki/revocation';
import type { SignatureValue } from './signing';

/**
 * The city PKI as the use cases need it: revoking officials' certificates when their position changes, and
 * exchanging certificates with an external CA for keys docflow holds. Implemented over KMS, the directory
 * table and the certificate authority function in adapters/city-pki.ts.
 */
export interface CertificateService {
  /** Revokes the official's current certificate; the serial, if there was one. */
  revokeOfficial(personId: string, at: Date, reason: RevocationReason): Promise<string | undefined>;
  /** Revokes the official's certificate only if it no longer names them as they are now. */
  revokeStaleOfficial(
    person: Person,
    org: Organisation,
    at: Date,
    reason: RevocationReason,
  ): Promise<string | undefined>;
  /**
   * A CSR (PEM) for the holder's key (created on first use), naming them as docflow's certificate does; its
   * signature value is made by `value` (the signer function, with the holder's authorization).
   */
  certificateRequest(
    holder: KeyHolder,
    holderOrg: Organisation,
    person: Person | undefined,
    value: SignatureValue,
  ): Promise<{ csrPem: string; keyId: string }>;
  /** Hands an external CA's certificate to the authority, which checks it certifies the key and chains to a trusted root. */
  importCertificate(
    holder: KeyHolder,
    certificatePem: string,
    by: string,
  ): Promise<{ keyId: string; certificate: Uint8Array }>;
}

/** What signatures are verified against: the deployment's trust anchors (PEM) and the city's current CRL. */
export interface TrustMaterial {
  trustAnchorsPem(): Promise<string>;
  currentCrl(): Promise<Uint8Array>;
}

/** An official's current certificate as the administration screen shows it. */
export interface OfficialCertificateStatus {
  readonly serial: string;
  readonly status: 'valid' | 'revoked';
  readonly revokedAt?: string;
}

/** Reads officials' current certificates (the directory function, for administrators). */
export interface OfficialCertificates {
  officialCertificate(personId: string): Promise<OfficialCertificateStatus | undefined>;
}
