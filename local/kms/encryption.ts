import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SYMMETRIC_KEY_BYTES } from './persistence';

/*
 * Encrypt/Decrypt under a SYMMETRIC_DEFAULT key, as KMS does them: AES-256-GCM inside the emulator, the
 * ciphertext blob opaque to the caller but carrying the id of the key that made it (Decrypt needs no KeyId),
 * and the encryption context bound as additional authenticated data, so Decrypt must be given the same
 * context. Like signing.ts, independent of the application's code.
 *
 * Blob: version (1) | key id (16, the UUID's bytes) | IV (12) | GCM tag (16) | ciphertext.
 */

const VERSION = 0x01;
const KEY_ID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

export type EncryptionContext = Readonly<Record<string, string>>;

export const generateSymmetricKey = (): Buffer => randomBytes(SYMMETRIC_KEY_BYTES);

const keyIdBytes = (keyId: string) => Buffer.from(keyId.replaceAll('-', ''), 'hex');

function keyIdOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The context as additional data: pairs sorted by key, so the order the caller gave them in is irrelevant. */
function additionalData(header: Buffer, context: EncryptionContext): Buffer {
  const pairs = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.concat([header, Buffer.from(JSON.stringify(pairs), 'utf8')]);
}

export function encryptBlob(
  key: { keyId: string; material: Buffer },
  plaintext: Buffer,
  context: EncryptionContext,
): Buffer {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([Buffer.of(VERSION), keyIdBytes(key.keyId)]);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(additionalData(header, context));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), data]);
}

/** The key id a blob names, or undefined if it is not one of the emulator's blobs. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length <= HEADER_BYTES || blob[0] !== VERSION) return undefined;
  return keyIdOf(blob.subarray(1, 1 + KEY_ID_BYTES));
}

/** The plaintext, or undefined when the blob, the key or the context is not the one it was made with. */
export function decryptBlob(material: Buffer, blob: Buffer, context: EncryptionContext): Buffer | undefined {
  if (blobKeyId(blob) === undefined) return undefined;
  const header = blob.subarray(0, 1 + KEY_ID_BYTES);
  const iv = blob.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
  const tag = blob.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(additionalData(header, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
