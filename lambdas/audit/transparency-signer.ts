import { authorityCredential } from '../adapters/city-pki';
import type { KmsDigestSigner } from '../adapters/kms-signer';

/*
 * The transparency log's signing key: a KMS key under the alias `alias/docflow/<stage>/transparency`, which
 * the certificate authority certifies (TSA profile) when a stage first starts, so that a signed tree head
 * can be checked offline with nothing but the root certificate. Only the audit function may sign with it.
 */

export interface LogSigner {
  readonly signer: KmsDigestSigner;
  /** The log's certificate, then the root. */
  readonly chain: readonly Uint8Array[];
}

let cached: Promise<LogSigner> | undefined;

export function logSigner(): Promise<LogSigner> {
  cached ??= authorityCredential('transparency')
    .then(({ signer, certificateChain }) => ({ signer, chain: certificateChain }))
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}
