import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SecretBox } from '../ports/webhooks';
import { kmsClient } from './aws-clients';
import { DecryptCommand, EncryptCommand } from './sdk-commands';

/*
 * Webhook signing secrets sealed at rest. Deployed: KMS Encrypt/Decrypt under the stage's webhook key
 * (DOCFLOW_WEBHOOK_KEY_ID), the subscription in the encryption context, so a sealed secret copied to another
 * subscription does not open. The local KMS emulator has no symmetric keys yet: the local stack sets
 * DOCFLOW_WEBHOOK_LOCAL_KEY instead, and secrets are sealed with AES-256-GCM under it (the same context as
 * additional data). `kms:` and `local:` prefixes say which sealed a stored value.
 */

const contextText = (context: Readonly<Record<string, string>>) =>
  JSON.stringify(
    Object.keys(context)
      .sort()
      .map((k) => [k, context[k]]),
  );

function kmsBox(keyId: string): SecretBox {
  return {
    async seal(secret, context) {
      const out = await kmsClient().send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: new TextEncoder().encode(secret),
          EncryptionContext: { ...context },
        }),
      );
      if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
      return `kms:${Buffer.from(out.CiphertextBlob).toString('base64')}`;
    },
    async open(sealed, context) {
      if (!sealed.startsWith('kms:')) throw new Error('not sealed by KMS');
      const out = await kmsClient().send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(sealed.slice(4), 'base64'),
          EncryptionContext: { ...context },
        }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext');
      return new TextDecoder().decode(out.Plaintext);
    },
  };
}

function localBox(keyText: string): SecretBox {
  const key = createHash('sha256').update(keyText).digest();
  return {
    async seal(secret, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(contextText(context)));
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `local:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
    },
    async open(sealed, context) {
      if (!sealed.startsWith('local:')) throw new Error('not sealed by the local key');
      const bytes = Buffer.from(sealed.slice(6), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(contextText(context)));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** KMS when the stage's key is configured, else the local stack's key; neither: refuse to store secrets. */
export function secretBoxFromEnv(): SecretBox {
  const keyId = process.env.DOCFLOW_WEBHOOK_KEY_ID;
  if (keyId) return kmsBox(keyId);
  const local = process.env.DOCFLOW_WEBHOOK_LOCAL_KEY;
  if (local) return localBox(local);
  const missing = async (): Promise<string> => {
    throw new Error('DOCFLOW_WEBHOOK_KEY_ID is not set: webhook secrets cannot be sealed');
  };
  return { seal: missing, open: missing };
}
