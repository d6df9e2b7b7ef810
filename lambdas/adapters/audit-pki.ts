import type { TrustMaterial } from '../ports/pki';
import type { TransparencyKey } from '../ports/transparency';
import { authorityCredential, currentCrl, trustAnchorsPem } from './city-pki';

/*
 * The city PKI as audits use it: the trust anchors and current CRL signatures are checked against, and the
 * transparency log's signing key, a KMS key under the alias `alias/docflow/<stage>/transparency`, which the
 * certificate authority certifies (TSA profile) when a stage first starts, so that a signed tree head can
 * be checked offline with nothing but the root certificate. Only the audit function may sign with it.
 */

export const cityTrustMaterial: TrustMaterial = { trustAnchorsPem, currentCrl };

type Credential = Awaited<ReturnType<TransparencyKey['credential']>>;

let cached: Promise<Credential> | undefined;

export const kmsTransparencyKey: TransparencyKey = {
  credential() {
    cached ??= authorityCredential('transparency')
      .then(({ signer, certificateChain }) => ({ signer, chain: certificateChain }))
      .catch((error: unknown) => {
        cached = undefined;
        throw error;
      });
    return cached;
  },
};
