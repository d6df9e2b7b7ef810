import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import type { DigestSigner, SigningAlgorithm } from '../core/ports/signer';
import { kmsSdk, LazyClient } from './lazy-sdk';
import { GetPublicKeyCommand, SignCommand } from './sdk-commands';

/**
 * A DigestSigner whose private key stays in KMS: `Sign` with `MessageType: DIGEST`, so only the 32-byte
 * hash crosses the network. The public key is fetched once and cached (it never changes for a key).
 */
export class KmsDigestSigner implements DigestSigner {
  private publicKey: Promise<Uint8Array> | undefined;

  /** `keyId` should be the key ARN: it is what certificates and audit records will name. */
  constructor(
    private readonly client: LazyClient<KMSClient>,
    readonly keyId: string,
    readonly algorithm: SigningAlgorithm,
    publicKeySpki?: Uint8Array,
  ) {
    if (publicKeySpki) this.publicKey = Promise.resolve(publicKeySpki);
  }

  /**
   * Builds a signer from any KMS key reference (id, ARN, alias): one GetPublicKey call resolves it to the key
   * ARN, picks the algorithm from the key spec and caches the public key.
   */
  static async forKey(client: LazyClient<KMSClient>, keyReference: string): Promise<KmsDigestSigner> {
    const out = await client.send(new GetPublicKeyCommand({ KeyId: keyReference }));
    if (!out.KeyId || !out.PublicKey) throw new Error(`KMS GetPublicKey for ${keyReference} returned no key`);
    if (out.KeyUsage !== 'SIGN_VERIFY') throw new Error(`KMS key ${out.KeyId} is not a signing key`);
    const algorithm = algorithmForKeySpec(out.KeySpec);
    if (!out.SigningAlgorithms?.includes(algorithm)) {
      throw new Error(`KMS key ${out.KeyId} does not support ${algorithm}`);
    }
    return new KmsDigestSigner(client, out.KeyId, algorithm, out.PublicKey);
  }

  publicKeySpki(): Promise<Uint8Array> {
    if (!this.publicKey) {
      const pending = this.fetchPublicKey();
      this.publicKey = pending;
      // A failed fetch must not stay cached: the next call retries.
      pending.catch(() => {
        if (this.publicKey === pending) this.publicKey = undefined;
      });
    }
    return this.publicKey;
  }

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    // Checked here because KMS would charge a request to say the same thing.
    if (digest.length !== 32) throw new RangeError(`a SHA-256 digest has 32 bytes, got ${digest.length}`);
    const out = await this.client.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: this.algorithm,
      }),
    );
    if (!out.Signature) throw new Error(`KMS Sign with ${this.keyId} returned no signature`);
    return out.Signature;
  }

  private async fetchPublicKey(): Promise<Uint8Array> {
    const out = await this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (!out.PublicKey) throw new Error(`KMS GetPublicKey for ${this.keyId} returned no key`);
    return out.PublicKey;
  }
}

function algorithmForKeySpec(keySpec: string | undefined): SigningAlgorithm {
  if (keySpec?.startsWith('RSA_')) return 'RSASSA_PKCS1_V1_5_SHA_256';
  if (keySpec === 'ECC_NIST_P256') return 'ECDSA_SHA_256';
  throw new Error(`docflow signs with RSA or ECC_NIST_P256 keys, not ${keySpec}`);
}

/**
 * A KMSClient configured by the environment alone. The SDK itself reads AWS_REGION, the credential chain,
 * AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL (the local emulator) and AWS_MAX_ATTEMPTS, and retries
 * ThrottlingException with backoff; `overrides` is for what the environment cannot say.
 */
export function kmsClientFromEnv(overrides: KMSClientConfig = {}): LazyClient<KMSClient> {
  return new LazyClient(async () => new (await kmsSdk()).KMSClient(overrides));
}
