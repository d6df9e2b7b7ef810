import type { webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';

/**
 * The laptop's stand-in for the Cognito user pool: it issues short-lived ES256 ID tokens for seeded demo
 * users and verifies them for the local gateway, as the deployed HTTP API's JWT authorizer does.
 */
export interface TokenSubject {
  readonly userId: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: string;
}

export const LOCAL_ISSUER = 'docflow-local-idp';
export const LOCAL_AUDIENCE = 'docflow-web';

const StoredKey = z.object({ kid: z.string(), privateJwk: z.record(z.string(), z.unknown()) });

export class LocalIdentityProvider {
  private constructor(
    private readonly kid: string,
    private readonly privateKey: webcrypto.CryptoKey,
    private readonly publicKey: webcrypto.CryptoKey,
    readonly tokenLifetimeSeconds: number,
  ) {}

  /** Loads the signing key from the data directory, creating it (owner-only) on first start. */
  static async open(dataDir: string, tokenLifetimeSeconds = 30 * 60): Promise<LocalIdentityProvider> {
    const dir = join(dataDir, 'idp');
    const file = join(dir, 'signing-key.json');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    let stored: z.infer<typeof StoredKey>;
    try {
      stored = StoredKey.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      stored = { kid: `local-${Date.now().toString(36)}`, privateJwk: { ...(await exportJWK(privateKey)) } };
      await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
    }
    const jwk = stored.privateJwk as JWK;
    const privateKey = (await importJWK(jwk, 'ES256')) as webcrypto.CryptoKey;
    const { d: _secret, ...publicJwk } = jwk;
    const publicKey = (await importJWK(publicJwk, 'ES256')) as webcrypto.CryptoKey;
    return new LocalIdentityProvider(stored.kid, privateKey, publicKey, tokenLifetimeSeconds);
  }

  /** Claims shaped like a Cognito ID token; handlers rely on `sub` only and look the person up. */
  async issue(subject: TokenSubject): Promise<string> {
    return new SignJWT({
      token_use: 'id',
      'cognito:username': subject.userId,
      'cognito:groups': [subject.role],
      'custom:orgId': subject.orgId,
      'custom:personId': subject.userId,
      name: subject.name,
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.tokenLifetimeSeconds}s`)
      .sign(this.privateKey);
  }

  /** Verifies signature, issuer, audience and expiry; returns the claims or undefined. */
  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ['ES256'],
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}
