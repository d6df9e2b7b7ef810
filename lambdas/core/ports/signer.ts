import type { SigningAlgorithm } from '../crypto/digest-signing';

export type { SigningAlgorithm };

/**
 * A private key that signs SHA-256 digests and never leaves where it lives (KMS when deployed, the
 * KMS emulator locally, an in-memory key in unit tests). Everything that signs in the core (certificates,
 * CRLs, CMS, timestamps) goes through this port.
 */
export interface DigestSigner {
  /** Stable identifier of the key (KMS key ARN or id). */
  readonly keyId: string;
  readonly algorithm: SigningAlgorithm;
  /** DER SubjectPublicKeyInfo of the key. */
  publicKeySpki(): Promise<Uint8Array>;
  /** Signs a 32-byte SHA-256 digest: PKCS#1 v1.5 bytes for RSA, DER Ecdsa-Sig-Value for ECDSA. */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}
