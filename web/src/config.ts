/*
 * Deployment settings: `window.DOCFLOW_CONFIG`, set by `/config.js` (empty locally; a deployment writes its
 * own). With `cognito` set, sign-in goes to the Cognito hosted UI; without it, the local demo users.
 * Pure functions, so the switch is unit-tested without a browser.
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

export type SignInMode = { readonly kind: 'demo' } | { readonly kind: 'cognito'; readonly url: string };

/** How this deployment signs people in, and where the browser goes for it. */
export function signInMode(config: DocflowConfig | undefined, origin: string): SignInMode {
  const cognito = config?.cognito;
  if (!cognito) return { kind: 'demo' };
  return { kind: 'cognito', url: cognitoAuthorizeUrl(cognito, origin) };
}

/** The hosted UI's authorize URL (implicit grant: the token comes back in the URL fragment). */
export function cognitoAuthorizeUrl(cognito: CognitoConfig, origin: string): string {
  const url = new URL('/oauth2/authorize', cognito.domain);
  url.searchParams.set('client_id', cognito.clientId);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('scope', (cognito.scopes ?? ['openid', 'email', 'profile']).join(' '));
  url.searchParams.set('redirect_uri', cognito.redirectUri ?? `${origin}/`);
  return url.toString();
}

/** The token Cognito hands back in the fragment (`#id_token=…&access_token=…`), if any. */
export function tokenFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('id_token') ?? params.get('access_token') ?? undefined;
}
