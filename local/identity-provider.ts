import { createHash, randomBytes, timingSafeEqual, type webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';

/**
 * The laptop's stand-in for the Cognito user pool: it issues short-lived ES256 ID tokens for seeded demo
 * users and verifies them for the local gateway, as the deployed HTTP API's JWT authorizer does. The web
 * inbox signs in with it the way it signs in with Cognito: the authorization code grant with PKCE (S256),
 * the ID token carrying the request's nonce (`authorize`, then `exchange`).
 */
export interface TokenSubject {
  readonly userId: string;
  readonly name: string;
  readonly orgId: string;
  readonly role: string;
}

export const LOCAL_ISSUER = 'docflow-local-idp';
/** The one client, the web inbox: the audience of every token (web/src/config.ts LOCAL_CLIENT_ID). */
export const LOCAL_AUDIENCE = 'docflow-web';

/** What the web inbox asks for when one of the demo users is picked (the authorize request). */
export interface AuthorizationCodeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  /** BASE64URL(SHA-256(code_verifier)). */
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/** The token request (RFC 6749 §4.1.3 with RFC 7636's code_verifier). */
export interface CodeExchange {
  readonly clientId: string;
  readonly code: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/** Why an authorize or token request was refused: OAuth's error codes. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** Codes live a minute, as Cognito's do at most a few: long enough for a redirect, not for a replay. */
const CODE_LIFETIME_MS = 60_000;

interface PendingCode {
  readonly subject: TokenSubject;
  readonly request: AuthorizationCodeRequest;
  readonly expires: number;
}

const StoredKey = z.object({ kid: z.string(), privateJwk: z.record(z.string(), z.unknown()) });

export class LocalIdentityProvider {
  private readonly codes = new Map<string, PendingCode>();

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

  /**
   * The authorize step, once a demo user is picked: a single-use code bound to this client, redirect URI,
   * PKCE challenge and nonce.
   */
  authorize(subject: TokenSubject, request: AuthorizationCodeRequest): string {
    if (request.clientId !== LOCAL_AUDIENCE)
      throw new OAuthError('invalid_client', `unknown client ${request.clientId}`);
    if (request.codeChallengeMethod !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(request.codeChallenge)) {
      throw new OAuthError('invalid_request', 'code_challenge must be a S256 challenge');
    }
    const now = Date.now();
    for (const [code, pending] of this.codes) if (pending.expires < now) this.codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { subject, request, expires: now + CODE_LIFETIME_MS });
    return code;
  }

  /**
   * The token step: the code, once, within its minute, for the same client and redirect URI, with the
   * verifier whose SHA-256 is the challenge. Returns an ID token carrying the authorize request's nonce.
   */
  async exchange(exchange: CodeExchange): Promise<string> {
    const pending = this.codes.get(exchange.code);
    this.codes.delete(exchange.code);
    if (!pending || pending.expires < Date.now())
      throw new OAuthError('invalid_grant', 'unknown or expired code');
    if (exchange.clientId !== pending.request.clientId)
      throw new OAuthError('invalid_grant', 'code of another client');
    if (exchange.redirectUri !== pending.request.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorize request');
    }
    const challenge = Buffer.from(createHash('sha256').update(exchange.codeVerifier).digest('base64url'));
    const expected = Buffer.from(pending.request.codeChallenge);
    if (challenge.length !== expected.length || !timingSafeEqual(challenge, expected)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return this.issue(pending.subject, { nonce: pending.request.nonce });
  }

  /** Claims shaped like a Cognito ID token; handlers rely on `sub` only and look the person up. */
  async issue(subject: TokenSubject, extra: { readonly nonce?: string } = {}): Promise<string> {
    return new SignJWT({
      token_use: 'id',
      'cognito:username': subject.userId,
      'cognito:groups': [subject.role],
      'custom:orgId': subject.orgId,
      'custom:personId': subject.userId,
      name: subject.name,
      ...(extra.nonce ? { nonce: extra.nonce } : {}),
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
