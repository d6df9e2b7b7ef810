import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { promisify } from 'node:util';
import { p256, p384, p521 } from '@noble/curves/nist.js';

// Deliberately independent of lambdas/core/crypto: the emulator plays the part of KMS, so tests of the core
// signing code against it compare two implementations rather than one with itself.

/**
 * Signing key specs the emulator can create: every asymmetric SIGN_VERIFY spec node:crypto generates
 * natively. Symmetric keys (SYMMETRIC_DEFAULT) are in encryption.ts.
 */
export const SUPPORTED_KEY_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
] as const;
export type SupportedKeySpec = (typeof SUPPORTED_KEY_SPECS)[number];

export type SupportedSigningAlgorithm =
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512';

export type MessageType = 'RAW' | 'DIGEST';

type HashName = 'sha256' | 'sha384' | 'sha512';
type Scheme = 'pkcs1' | 'pss' | 'ecdsa';

const RSA_ALGORITHMS: readonly SupportedSigningAlgorithm[] = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];

type KeySpecInfo =
  | { kind: 'rsa'; modulusLength: number; algorithms: readonly SupportedSigningAlgorithm[] }
  | { kind: 'ec'; namedCurve: 'P-256' | 'P-384' | 'P-521'; algorithms: readonly SupportedSigningAlgorithm[] };

// KMS pairs each NIST curve with exactly one hash (the one matching the curve size).
const KEY_SPECS: Record<SupportedKeySpec, KeySpecInfo> = {
  RSA_2048: { kind: 'rsa', modulusLength: 2048, algorithms: RSA_ALGORITHMS },
  RSA_3072: { kind: 'rsa', modulusLength: 3072, algorithms: RSA_ALGORITHMS },
  RSA_4096: { kind: 'rsa', modulusLength: 4096, algorithms: RSA_ALGORITHMS },
  ECC_NIST_P256: { kind: 'ec', namedCurve: 'P-256', algorithms: ['ECDSA_SHA_256'] },
  ECC_NIST_P384: { kind: 'ec', namedCurve: 'P-384', algorithms: ['ECDSA_SHA_384'] },
  ECC_NIST_P521: { kind: 'ec', namedCurve: 'P-521', algorithms: ['ECDSA_SHA_512'] },
};

const ALGORITHMS: Record<SupportedSigningAlgorithm, { scheme: Scheme; hash: HashName }> = {
  RSASSA_PKCS1_V1_5_SHA_256: { scheme: 'pkcs1', hash: 'sha256' },
  RSASSA_PKCS1_V1_5_SHA_384: { scheme: 'pkcs1', hash: 'sha384' },
  RSASSA_PKCS1_V1_5_SHA_512: { scheme: 'pkcs1', hash: 'sha512' },
  RSASSA_PSS_SHA_256: { scheme: 'pss', hash: 'sha256' },
  RSASSA_PSS_SHA_384: { scheme: 'pss', hash: 'sha384' },
  RSASSA_PSS_SHA_512: { scheme: 'pss', hash: 'sha512' },
  ECDSA_SHA_256: { scheme: 'ecdsa', hash: 'sha256' },
  ECDSA_SHA_384: { scheme: 'ecdsa', hash: 'sha384' },
  ECDSA_SHA_512: { scheme: 'ecdsa', hash: 'sha512' },
};

const HASH_LENGTH: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

// DER prefixes of DigestInfo { algorithm, OCTET STRING(hLen) } (RFC 8017 §9.2 note 1).
const DIGEST_INFO_PREFIX: Record<HashName, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

const generateKeyPairAsync = promisify(generateKeyPair);

export function isSupportedKeySpec(spec: string): spec is SupportedKeySpec {
  return (SUPPORTED_KEY_SPECS as readonly string[]).includes(spec);
}

export function signingAlgorithmsFor(spec: SupportedKeySpec): readonly SupportedSigningAlgorithm[] {
  return KEY_SPECS[spec].algorithms;
}

/** Bytes a DIGEST-type message must have for the algorithm (its hash output length). */
export function digestLength(algorithm: SupportedSigningAlgorithm): number {
  return HASH_LENGTH[ALGORITHMS[algorithm].hash];
}

export async function generatePrivateKey(spec: SupportedKeySpec): Promise<KeyObject> {
  const info = KEY_SPECS[spec];
  const { privateKey } =
    info.kind === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: info.modulusLength })
      : await generateKeyPairAsync('ec', { namedCurve: info.namedCurve });
  return privateKey;
}

/** DER SubjectPublicKeyInfo, the format of KMS GetPublicKey. */
export function publicKeySpki(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
}

/**
 * Signs as KMS does: RSA PKCS#1 v1.5 or PSS (salt length = hash length), ECDSA as DER Ecdsa-Sig-Value.
 * RAW hashes the message; DIGEST takes the hash as given (node:crypto cannot, hence raw RSA and noble).
 */
export function signMessage(
  privateKey: KeyObject,
  algorithm: SupportedSigningAlgorithm,
  messageType: MessageType,
  message: Buffer,
): Buffer {
  const { scheme, hash } = ALGORITHMS[algorithm];
  if (messageType === 'RAW') return sign(hash, message, nodeSignOptions(privateKey, scheme, hash));
  switch (scheme) {
    case 'pkcs1':
      return privateEncrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([DIGEST_INFO_PREFIX[hash], message]),
      );
    case 'pss': {
      const encoded = emsaPssEncode(message, hash, rsaModulusBits(privateKey) - 1);
      return privateEncrypt(
        { key: privateKey, padding: constants.RSA_NO_PADDING },
        leftPad(encoded, rsaBytes(privateKey)),
      );
    }
    case 'ecdsa': {
      const { curve, jwk } = ecCurve(privateKey);
      if (!jwk.d) throw new TypeError('expected an EC private key');
      // Hedged (randomised) nonces like KMS, and no low-S normalisation: KMS signatures have either S.
      return Buffer.from(
        curve.sign(message, Buffer.from(jwk.d, 'base64url'), {
          prehash: false,
          lowS: false,
          format: 'der',
          extraEntropy: true,
        }),
      );
    }
  }
}

/** Checks a signature; false for any malformed or non-matching signature, never an exception. */
export function verifyMessage(
  publicKey: KeyObject,
  algorithm: SupportedSigningAlgorithm,
  messageType: MessageType,
  message: Buffer,
  signature: Buffer,
): boolean {
  const { scheme, hash } = ALGORITHMS[algorithm];
  try {
    if (messageType === 'RAW')
      return verify(hash, message, nodeSignOptions(publicKey, scheme, hash), signature);
    switch (scheme) {
      case 'pkcs1': {
        const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
        return constantTimeEquals(recovered, Buffer.concat([DIGEST_INFO_PREFIX[hash], message]));
      }
      case 'pss': {
        if (signature.length !== rsaBytes(publicKey)) return false;
        const opened = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
        return emsaPssVerify(message, opened, hash, rsaModulusBits(publicKey) - 1);
      }
      case 'ecdsa': {
        const { curve, jwk } = ecCurve(publicKey);
        if (!jwk.x || !jwk.y) throw new TypeError('expected an EC public key');
        const point = Buffer.concat([
          Buffer.from([4]),
          Buffer.from(jwk.x, 'base64url'),
          Buffer.from(jwk.y, 'base64url'),
        ]);
        return curve.verify(signature, message, point, { prehash: false, lowS: false, format: 'der' });
      }
    }
  } catch {
    return false;
  }
}

function nodeSignOptions(key: KeyObject, scheme: Scheme, hash: HashName) {
  if (scheme === 'pss') {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[hash] };
  }
  if (scheme === 'pkcs1') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

function ecCurve(key: KeyObject) {
  const jwk = key.export({ format: 'jwk' });
  const crv = jwk.crv;
  if (crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') throw new TypeError(`unsupported curve ${crv}`);
  return { curve: CURVES[crv], jwk };
}

function rsaModulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new TypeError('expected an RSA key');
  return bits;
}

function rsaBytes(key: KeyObject): number {
  return Math.ceil(rsaModulusBits(key) / 8);
}

function leftPad(bytes: Buffer, length: number): Buffer {
  return bytes.length >= length ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

function constantTimeEquals(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// MGF1 (RFC 8017 §B.2.1).
function mgf1(seed: Buffer, length: number, hash: HashName): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * HASH_LENGTH[hash] < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function pssHashInput(mHash: Buffer, salt: Buffer, hash: HashName): Buffer {
  return createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

// EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with sLen = hLen, as KMS uses.
function emsaPssEncode(mHash: Buffer, hash: HashName, emBits: number): Buffer {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  if (emLen < 2 * hLen + 2) throw new RangeError('RSA key too small for PSS with this hash');
  const salt = randomBytes(hLen);
  const h = pssHashInput(mHash, salt, hash);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[db.length - hLen - 1] = 0x01;
  salt.copy(db, db.length - hLen);
  const dbMask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (dbMask[i] ?? 0);
  db[0] = (db[0] ?? 0) & (0xff >> (8 * emLen - emBits));
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with sLen = hLen; `opened` is the k-byte RSA public operation output.
function emsaPssVerify(mHash: Buffer, opened: Buffer, hash: HashName, emBits: number): boolean {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  const excess = opened.subarray(0, opened.length - emLen);
  if (excess.some((byte) => byte !== 0)) return false;
  const em = opened.subarray(opened.length - emLen);
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const unusedBitsMask = 0xff >> (8 * emLen - emBits);
  if (((maskedDb[0] ?? 0) & ~unusedBitsMask) !== 0) return false;
  const dbMask = mgf1(h, maskedDb.length, hash);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (maskedDb[i] ?? 0) ^ (dbMask[i] ?? 0);
  db[0] = (db[0] ?? 0) & unusedBitsMask;
  const separator = db.length - hLen - 1;
  if (db.subarray(0, separator).some((byte) => byte !== 0) || db[separator] !== 0x01) return false;
  const salt = db.subarray(separator + 1);
  return constantTimeEquals(pssHashInput(mHash, salt, hash), Buffer.from(h));
}
