import { createHash, createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { decodeCBOR } from '@levischuck/tiny-cbor';
import { canonicalize } from '../log/canonical-json';
import type { SignatureAuthorization } from './authorization';

/*
 * The offline check of a signer's authorization (docs/SECURITY.md), as an auditor makes it years later from
 * the log alone: the statement names the digest the key signed; for a passkey, the authenticator's assertion
 * answers exactly that statement's challenge, with the person present and verified (biometrics or PIN),
 * and its signature verifies with the public key registered. WebAuthn's own verification, without the
 * ceremony's live parts (origin, counter), which the activation function checked at the time.
 */

export interface AuthorizationCheck {
  /** The statement the signer authorized names this digest. */
  readonly namesDigest: boolean;
  /** For a passkey: its assertion answers the statement and verifies; null for an authenticator code. */
  readonly assertionValid: boolean | null;
  readonly problems: readonly string[];
}

const b64url = (text: string) => Buffer.from(text, 'base64url');
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

/** A COSE public key (EC2 P-256 or RSA) as node:crypto takes it. */
function coseKey(cose: Uint8Array): { key: JsonWebKey; rsa: boolean } {
  const map = decodeCBOR(new DataView(cose.buffer, cose.byteOffset, cose.byteLength)) as Map<
    number,
    number | Uint8Array
  >;
  const kty = map.get(1);
  if (kty === 2 && map.get(-1) === 1) {
    const x = map.get(-2);
    const y = map.get(-3);
    if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array)) throw new Error('malformed EC2 key');
    return {
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: Buffer.from(x).toString('base64url'),
        y: Buffer.from(y).toString('base64url'),
      },
      rsa: false,
    };
  }
  if (kty === 3) {
    const n = map.get(-1);
    const e = map.get(-2);
    if (!(n instanceof Uint8Array) || !(e instanceof Uint8Array)) throw new Error('malformed RSA key');
    return {
      key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: Buffer.from(e).toString('base64url') },
      rsa: true,
    };
  }
  throw new Error(`unsupported COSE key type ${String(kty)}`);
}

export function checkAuthorization(authorization: SignatureAuthorization): AuthorizationCheck {
  const problems: string[] = [];
  const namesDigest = authorization.statement.requests.some((r) => r.digest === authorization.digest);
  if (!namesDigest) problems.push('the authorization does not name the digest the key signed');
  if (!authorization.passkey) return { namesDigest, assertionValid: null, problems };
  const challenge = createHash('sha256')
    .update(canonicalize(authorization.statement), 'utf8')
    .digest('base64url');
  let assertionValid = false;
  try {
    const { passkey } = authorization;
    const clientDataBytes = b64url(passkey.clientDataJSON);
    const clientData = JSON.parse(clientDataBytes.toString('utf8')) as {
      type?: unknown;
      challenge?: unknown;
    };
    const authenticatorData = b64url(passkey.authenticatorData);
    const flags = authenticatorData[32] ?? 0;
    const { key, rsa } = coseKey(b64url(passkey.publicKey));
    const signed = Buffer.concat([authenticatorData, createHash('sha256').update(clientDataBytes).digest()]);
    const signatureOk = verify(
      'sha256',
      signed,
      { key: createPublicKey({ key, format: 'jwk' }), ...(rsa ? {} : { dsaEncoding: 'der' as const }) },
      b64url(passkey.signature),
    );
    if (clientData.type !== 'webauthn.get') problems.push('the assertion is not an authentication');
    if (clientData.challenge !== challenge) problems.push('the assertion answers another challenge');
    if (!(flags & FLAG_UP) || !(flags & FLAG_UV)) problems.push('the authenticator did not verify the user');
    if (!signatureOk) problems.push('the assertion signature does not verify with the registered passkey');
    assertionValid =
      clientData.type === 'webauthn.get' &&
      clientData.challenge === challenge &&
      Boolean(flags & FLAG_UP) &&
      Boolean(flags & FLAG_UV) &&
      signatureOk;
  } catch (error) {
    problems.push(`the assertion cannot be read: ${(error as Error).message}`);
  }
  return { namesDigest, assertionValid, problems };
}
