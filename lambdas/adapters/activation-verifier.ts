import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { compactVerify } from 'jose';
import type { LazyClient } from './lazy-sdk';
import { GetPublicKeyCommand } from './sdk-commands';

/*
 * The activation key's public half (KMS GetPublicKey, cached): what checks activation data. Kept apart
 * from the issuer, which signs, so the signer function carries only this.
 */

const stage = () => process.env.DOCFLOW_STAGE ?? 'dev';
export const activationKeyAlias = () => `alias/docflow/${stage()}/signature-activation`;

export interface ActivationPublicKey {
  readonly key: KeyObject;
  /** Names the key material, so a rotated key gets a new id. */
  readonly kid: string;
}

export function activationPublicKey(kms: () => LazyClient<KMSClient>): () => Promise<ActivationPublicKey> {
  let cached: Promise<ActivationPublicKey> | undefined;
  return () => {
    cached ??= (async () => {
      const out = await kms().send(new GetPublicKeyCommand({ KeyId: activationKeyAlias() }));
      if (!out.PublicKey || out.KeySpec !== 'ECC_NIST_P256')
        throw new Error('the activation key is not a P-256 key');
      const key = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
      return { key, kid: createHash('sha256').update(out.PublicKey).digest('base64url').slice(0, 16) };
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

/** Verifies an activation JWT's signature (ES256) and returns its claims, unchecked beyond that. */
export async function verifyActivation(key: ActivationPublicKey, token: string): Promise<unknown> {
  const { payload, protectedHeader } = await compactVerify(token, key.key, { algorithms: ['ES256'] });
  if (protectedHeader.typ !== 'JWT' || protectedHeader.kid !== key.kid)
    throw new Error('not an activation token');
  return JSON.parse(new TextDecoder().decode(payload)) as unknown;
}
