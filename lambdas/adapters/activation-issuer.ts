import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { exportJWK } from 'jose';
import type { ActivationClaims } from '../core/signing/activation-claims';
import type { ActivationIssuer } from '../ports/signature-authorization';
import { activationKeyAlias, activationPublicKey, verifyActivation } from './activation-verifier';
import { kmsClient } from './aws-clients';
import { SignCommand } from './sdk-commands';

/*
 * Activation data as a JWT (ES256) signed by the activation key in KMS (ECC_NIST_P256, alias
 * `alias/docflow/<stage>/signature-activation`, usable by the activation function alone). Its public key is
 * published as the JWK set of an OpenID issuer, which STS trusts for the signer session role: STS itself
 * checks every activation before it hands out credentials for a holder's key.
 */

/** The issuer URL STS and the signer expect in `iss`; its `/.well-known/openid-configuration` is public. */
export const activationIssuerUrl = () => {
  const url = process.env.DOCFLOW_ACTIVATION_ISSUER;
  if (!url) throw new Error('DOCFLOW_ACTIVATION_ISSUER is not set');
  return url;
};

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const publicKey = activationPublicKey(kmsClient);

export const kmsActivationIssuer = (): ActivationIssuer => ({
  get issuer() {
    return activationIssuerUrl();
  },
  async sign(claims: ActivationClaims) {
    const { kid } = await publicKey();
    const header = { alg: 'ES256', typ: 'JWT', kid };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const out = await kmsClient().send(
      new SignCommand({
        KeyId: activationKeyAlias(),
        Message: createHash('sha256').update(signingInput).digest(),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!out.Signature) throw new Error('KMS returned no signature');
    // KMS answers DER; a JWS carries r‖s.
    const raw = p256.Signature.fromBytes(out.Signature, 'der').toBytes('compact');
    return `${signingInput}.${b64url(raw)}`;
  },
  async verify(token: string) {
    return verifyActivation(await publicKey(), token);
  },
  async jwks() {
    const { key, kid } = await publicKey();
    return { keys: [{ ...(await exportJWK(key)), kid, alg: 'ES256', use: 'sig' }] };
  },
});
