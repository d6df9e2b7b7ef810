/*
 * Deployment settings and sign-in. `window.DOCFLOW_CONFIG` is set by `/config.js` (empty locally; a
 * deployment writes its own). With `cognito` set, sign-in goes to the Cognito hosted UI; without it, the
 * local demo users, whose sign-in the local identity provider answers the same way.
 *
 * Both sign in with the OAuth authorization code grant and PKCE (RFC 7636, S256): the browser keeps a
 * random verifier, sends only its SHA-256, and exchanges the code it gets back, with the verifier, for the
 * ID token. `state` ties the answer to this browser's request (no login CSRF), and `nonce`, repeated in the
 * ID token, ties the token to it (no token injected from another sign-in). The pure parts are here, tested
 * without a browser; sessionStorage holds the request between the redirect and the return.
 */

export interface CognitoConfig {
  /** The hosted UI's base URL, e.g. `https://docflow.auth.ap-southeast-1.amazoncognito.com`. */
  readonly domain: string;
  readonly clientId: string;
  /** Where Cognito sends the browser back; the page's own origin + `/` by default. */
  readonly redirectUri?: string;
  readonly scopes?: readonly string[];
}

export interface DocflowConfig {
  readonly cognito?: CognitoConfig;
}

declare global {
  interface Window {
    DOCFLOW_CONFIG?: DocflowConfig;
  }
}

/** Where and for whom a code is exchanged: Cognito's token endpoint, or the local identity provider's. */
export interface TokenEndpoint {
  readonly url: string;
  readonly clientId: string;
  readonly redirectUri: string;
}

/** The local identity provider (local/identity-provider.ts): its client and its token endpoint. */
export const LOCAL_CLIENT_ID = 'docflow-web';
export const LOCAL_TOKEN_PATH = '/api/dev/token';

export type SignInMode =
  | { readonly kind: 'demo'; readonly token: TokenEndpoint }
  | { readonly kind: 'cognito'; readonly cognito: CognitoConfig; readonly token: TokenEndpoint };

/** How this deployment signs people in, and where codes are exchanged. */
export function signInMode(config: DocflowConfig | undefined, origin: string): SignInMode {
  const cognito = config?.cognito;
  if (!cognito) {
    return {
      kind: 'demo',
      token: { url: `${origin}${LOCAL_TOKEN_PATH}`, clientId: LOCAL_CLIENT_ID, redirectUri: `${origin}/` },
    };
  }
  return {
    kind: 'cognito',
    cognito,
    token: {
      url: new URL('/oauth2/token', cognito.domain).toString(),
      clientId: cognito.clientId,
      redirectUri: cognito.redirectUri ?? `${origin}/`,
    },
  };
}

/** One sign-in in flight: what the browser keeps until the identity provider sends it back. */
export interface AuthorizationRequest {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly codeChallenge: string;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomToken = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)). */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** A fresh request: 256-bit random state, nonce and verifier (43 characters, as RFC 7636 asks at least). */
export async function newAuthorizationRequest(): Promise<AuthorizationRequest> {
  const codeVerifier = randomToken();
  return {
    state: randomToken(),
    nonce: randomToken(),
    codeVerifier,
    codeChallenge: await pkceChallenge(codeVerifier),
  };
}

/** The hosted UI's authorize URL for `request` (code grant, PKCE S256). */
export function cognitoAuthorizeUrl(
  cognito: CognitoConfig,
  origin: string,
  request: Pick<AuthorizationRequest, 'state' | 'nonce' | 'codeChallenge'>,
): string {
  const url = new URL('/oauth2/authorize', cognito.domain);
  url.searchParams.set('client_id', cognito.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', (cognito.scopes ?? ['openid', 'email', 'profile']).join(' '));
  url.searchParams.set('redirect_uri', cognito.redirectUri ?? `${origin}/`);
  url.searchParams.set('state', request.state);
  url.searchParams.set('nonce', request.nonce);
  url.searchParams.set('code_challenge', request.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export type Callback =
  | { readonly kind: 'code'; readonly code: string; readonly state: string }
  | {
      readonly kind: 'error';
      readonly error: string;
      readonly description?: string;
      readonly state?: string;
    };

/** What the identity provider sent back in the query (`?code=…&state=…` or `?error=…`), if anything. */
export function callbackFromQuery(search: string): Callback | undefined {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) {
    return {
      kind: 'error',
      error,
      description: params.get('error_description') ?? undefined,
      state: params.get('state') ?? undefined,
    };
  }
  const code = params.get('code');
  const state = params.get('state');
  return code && state ? { kind: 'code', code, state } : undefined;
}

/** Why a sign-in was refused; `code` names it for people (web/src/i18n.ts). */
export class SignInError extends Error {
  constructor(
    readonly code: 'state_mismatch' | 'nonce_mismatch' | 'provider_refused' | 'token_refused',
    detail: string,
  ) {
    super(detail);
    this.name = 'SignInError';
  }
}

/** The claims of a JWT, read without checking its signature: the API checks that, the browser cannot. */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new SignInError('token_refused', 'the ID token is not a JWT');
  const json = atob(
    payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '='),
  );
  const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  if (typeof claims !== 'object' || claims === null)
    throw new SignInError('token_refused', 'the ID token has no claims');
  return claims as Record<string, unknown>;
}

/**
 * Checks that the ID token was issued for this request and this client: its `nonce` is the request's,
 * its audience this client.
 */
export function checkIdToken(
  idToken: string,
  request: Pick<AuthorizationRequest, 'nonce'>,
  clientId: string,
): void {
  const claims = jwtClaims(idToken);
  if (claims.nonce !== request.nonce)
    throw new SignInError('nonce_mismatch', 'the ID token answers another sign-in');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(clientId))
    throw new SignInError('token_refused', 'the ID token is for another client');
}

/**
 * Finishes a sign-in: the callback must carry the request's `state`; the code is exchanged with the
 * verifier at the token endpoint; the ID token must carry the request's `nonce`. Returns the ID token.
 */
export async function completeSignIn(
  endpoint: TokenEndpoint,
  request: AuthorizationRequest,
  callback: Callback,
  post: typeof fetch = fetch,
): Promise<string> {
  if (callback.state !== request.state)
    throw new SignInError('state_mismatch', 'the answer is for another sign-in');
  if (callback.kind === 'error') {
    throw new SignInError('provider_refused', callback.description ?? callback.error);
  }
  const response = await post(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: endpoint.clientId,
      code: callback.code,
      redirect_uri: endpoint.redirectUri,
      code_verifier: request.codeVerifier,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.id_token !== 'string') {
    throw new SignInError(
      'token_refused',
      `token endpoint answered ${response.status} ${String(body.error ?? '')}`,
    );
  }
  checkIdToken(body.id_token, request, endpoint.clientId);
  return body.id_token;
}

const PENDING_KEY = 'docflow.signin';

/** Keeps a request across the redirect to the identity provider (this tab only). */
export function rememberRequest(storage: Storage, request: AuthorizationRequest): void {
  storage.setItem(PENDING_KEY, JSON.stringify(request));
}

/** The request in flight, taken once: a code cannot be replayed into a later page load. */
export function takeRequest(storage: Storage): AuthorizationRequest | undefined {
  const stored = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (!stored) return undefined;
  try {
    const value = JSON.parse(stored) as Partial<AuthorizationRequest>;
    if (
      typeof value.state === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.codeVerifier === 'string' &&
      typeof value.codeChallenge === 'string'
    ) {
      return value as AuthorizationRequest;
    }
  } catch {
    // Unreadable: as if nothing were in flight.
  }
  return undefined;
}
