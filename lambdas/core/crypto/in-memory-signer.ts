import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { DigestSigner } from '../ports/signer';
import { type SigningAlgorithm, signDigest, spkiDer } from './digest-signing';

/** A DigestSigner over a node:crypto key held in memory: for unit tests and offline tools only. */
export class InMemorySigner implements DigestSigner {
  constructor(
    readonly keyId: string,
    readonly algorithm: SigningAlgorithm,
    private readonly privateKey: KeyObject,
  ) {}

  static generate(keyId: string, algorithm: SigningAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256'): InMemorySigner {
    const { privateKey } =
      algorithm === 'ECDSA_SHA_256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    return new InMemorySigner(keyId, algorithm, privateKey);
  }

  async publicKeySpki(): Promise<Uint8Array> {
    return spkiDer(this.privateKey);
  }

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    return signDigest(this.privateKey, this.algorithm, digest);
  }
}
