import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { DigestSigner } from '../ports/signer';
import { sha256, toArrayBuffer } from './asn1';
import { LruCache } from './lru';
import { OID, SIGNATURE_HASH_BY_OID } from './oids';

/** The X.509/CMS signature AlgorithmIdentifier for what the port produces (always with SHA-256). */
export function signatureAlgorithmFor(signer: Pick<DigestSigner, 'algorithm'>): pkijs.AlgorithmIdentifier {
  return signer.algorithm === 'ECDSA_SHA_256'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
}

export function sha256AlgorithmIdentifier(): pkijs.AlgorithmIdentifier {
  // RFC 5754 §2: SHA-2 AlgorithmIdentifiers omit parameters.
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
}

/**
 * Signs bytes through the port: SHA-256 here, the private-key operation wherever the key lives. KMS gives
 * ECDSA as DER Ecdsa-Sig-Value, which is exactly what X.509, CRLs and CMS carry, so no conversion is needed.
 */
export async function signBytes(signer: DigestSigner, data: Uint8Array): Promise<Uint8Array> {
  return signer.signDigest(sha256(data));
}

/*
 * Imported public keys by SubjectPublicKeyInfo, least recently used first: importing costs more than an
 * RSA verification, and the same CA and TSA keys check every chain. Bounded like the certificate cache.
 */
const publicKeys = new LruCache<KeyObject>(512);

function publicKey(spkiDer: Uint8Array): KeyObject {
  const id = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength).toString('base64');
  let key = publicKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    publicKeys.set(id, key);
  }
  return key;
}

/**
 * Verifies a signature made with RSA PKCS#1 v1.5 or ECDSA (DER) against a SubjectPublicKeyInfo.
 * Returns false (never throws) for a wrong signature or an unsupported algorithm.
 */
export function verifySignature(
  spkiDer: Uint8Array,
  signatureAlgorithmOid: string,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const hash = SIGNATURE_HASH_BY_OID[signatureAlgorithmOid];
  if (!hash) return false;
  try {
    const key = publicKey(spkiDer);
    // CMS SignerInfo may name the key algorithm (rsaEncryption) instead of sha256WithRSA; both mean PKCS#1 v1.5.
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

/** CMS allows signatureAlgorithm = rsaEncryption with the digest named separately (RFC 5754 §3.2). */
export function signatureOidFor(signatureAlgorithmOid: string, digestOid: string): string {
  if (signatureAlgorithmOid !== OID.rsaEncryption) return signatureAlgorithmOid;
  if (digestOid === OID.sha384) return OID.sha384WithRSA;
  if (digestOid === OID.sha512) return OID.sha512WithRSA;
  return OID.sha256WithRSA;
}

export function bitString(bytes: Uint8Array): asn1js.BitString {
  return new asn1js.BitString({ valueHex: toArrayBuffer(bytes) });
}
