import { constants, createPublicKey, type KeyObject, privateEncrypt, publicDecrypt } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';

/** The KMS signing algorithms docflow uses (a subset of KMS's SigningAlgorithmSpec). */
export type SigningAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256' | 'ECDSA_SHA_256';

// DER prefix of DigestInfo { sha256, OCTET STRING(32) } (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

function assertSha256(digest: Uint8Array): void {
  if (digest.length !== 32) throw new RangeError(`a SHA-256 digest has 32 bytes, got ${digest.length}`);
}

function ecPrivateScalar(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.d) throw new TypeError('expected a P-256 private key');
  return Buffer.from(jwk.d, 'base64url');
}

function ecPublicPoint(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new TypeError('expected a P-256 public key');
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/**
 * Signs an already computed SHA-256 digest, as KMS `Sign` does with `MessageType: DIGEST`.
 * RSA gives PKCS#1 v1.5 bytes; ECDSA gives a DER `Ecdsa-Sig-Value` (what KMS returns).
 * node:crypto's `sign()` always hashes its input, hence the lower-level primitives here.
 */
export function signDigest(
  privateKey: KeyObject,
  algorithm: SigningAlgorithm,
  digest: Uint8Array,
): Uint8Array {
  assertSha256(digest);
  if (algorithm === 'RSASSA_PKCS1_V1_5_SHA_256') {
    return privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]),
    );
  }
  return p256.sign(digest, ecPrivateScalar(privateKey), { prehash: false, format: 'der' });
}

/** Verifies a signature over a SHA-256 digest; never throws for a merely wrong signature. */
export function verifyDigest(
  publicKey: KeyObject,
  algorithm: SigningAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  assertSha256(digest);
  try {
    if (algorithm === 'RSASSA_PKCS1_V1_5_SHA_256') {
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.equals(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]));
    }
    // KMS and OpenSSL do not normalise S, so a high-S signature is as valid as its low-S twin.
    return p256.verify(signature, digest, ecPublicPoint(publicKey), {
      prehash: false,
      format: 'der',
      lowS: false,
    });
  } catch {
    return false;
  }
}

/** The public half of a key as DER SubjectPublicKeyInfo (KMS GetPublicKey's format). */
export function spkiDer(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'der', type: 'spki' });
}
