import type { SecretBox } from '../ports/webhooks';
import { kmsClient } from './aws-clients';
import { DecryptCommand, EncryptCommand } from './sdk-commands';

/*
 * Webhook signing secrets sealed at rest: KMS Encrypt/Decrypt under the stage's webhook key
 * (DOCFLOW_WEBHOOK_KEY_ID), deployed and on the local stack alike (there the KMS emulator, which enforces
 * the same key policy and roles' policies). The subscription is the encryption context, so a sealed secret
 * copied to another subscription does not open. The `kms:` prefix says what sealed a stored value.
 */

const PREFIX = 'kms:';

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
      return `${PREFIX}${Buffer.from(out.CiphertextBlob).toString('base64')}`;
    },
    async open(sealed, context) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not sealed by KMS');
      const out = await kmsClient().send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(sealed.slice(PREFIX.length), 'base64'),
          EncryptionContext: { ...context },
        }),
      );
      if (!out.Plaintext) throw new Error('KMS returned no plaintext');
      return new TextDecoder().decode(out.Plaintext);
    },
  };
}

/** KMS under the stage's webhook key; without one configured, refuse to store secrets. */
export function secretBoxFromEnv(): SecretBox {
  const keyId = process.env.DOCFLOW_WEBHOOK_KEY_ID;
  if (keyId) return kmsBox(keyId);
  const missing = async (): Promise<string> => {
    throw new Error('DOCFLOW_WEBHOOK_KEY_ID is not set: webhook secrets cannot be sealed');
  };
  return { seal: missing, open: missing };
}
