import * as z from 'zod';
import type { MessageCode } from '../lambdas/core/i18n/messages';
import { type LocalIdentityProvider, OAuthError, type TokenSubject } from './identity-provider';

/*
 * The local identity provider's two endpoints, behind the gateway (local/gateway.ts):
 *
 * - POST /api/dev/login {userId, clientId, redirectUri, state, nonce, codeChallenge, codeChallengeMethod}
 *   → {code, state}: the authorize step, once the web inbox's demo picker has chosen a user (Cognito's
 *   hosted UI plays this part when deployed). Without the PKCE fields, {userId} alone → {token}, as API
 *   clients and tests sign in.
 * - POST /api/dev/token (form-encoded, RFC 6749 §4.1.3 + RFC 7636) → {id_token, token_type, expires_in}.
 */

export type DevAnswer =
  | { readonly status: number; readonly body: unknown }
  | {
      readonly status: number;
      readonly error: MessageCode;
      readonly params?: Record<string, string>;
    };

const LoginBody = z.object({ userId: z.string().min(1) });
const CodeLoginBody = LoginBody.extend({
  clientId: z.string().min(1),
  redirectUri: z.url(),
  state: z.string().min(16).max(512),
  nonce: z.string().min(16).max(512),
  codeChallenge: z.string(),
  codeChallengeMethod: z.literal('S256'),
});

const TokenForm = z.object({
  grant_type: z.literal('authorization_code'),
  client_id: z.string().min(1),
  code: z.string().min(1),
  redirect_uri: z.string().min(1),
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'RFC 7636 code_verifier'),
});

const invalid = (error: z.ZodError): DevAnswer => ({
  status: 400,
  error: 'validation_failed',
  params: { detail: error.issues.map((i) => i.path.join('.') || i.message).join(', ') },
});

export async function devLogin(
  idp: LocalIdentityProvider,
  users: readonly TokenSubject[],
  body: unknown,
): Promise<DevAnswer> {
  const wantsCode = typeof body === 'object' && body !== null && 'codeChallenge' in body;
  if (!wantsCode) {
    const parsed = LoginBody.safeParse(body);
    if (!parsed.success) return invalid(parsed.error);
    const user = users.find((u) => u.userId === parsed.data.userId);
    if (!user) return { status: 404, error: 'unknown_user', params: { userId: parsed.data.userId } };
    return { status: 200, body: { token: await idp.issue(user), expiresIn: idp.tokenLifetimeSeconds, user } };
  }
  const parsed = CodeLoginBody.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const request = parsed.data;
  const user = users.find((u) => u.userId === request.userId);
  if (!user) return { status: 404, error: 'unknown_user', params: { userId: request.userId } };
  try {
    const code = idp.authorize(user, request);
    return { status: 200, body: { code, state: request.state } };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return {
      status: 400,
      error: 'validation_failed',
      params: { detail: `${error.error}: ${error.message}` },
    };
  }
}

export async function devToken(idp: LocalIdentityProvider, form: string): Promise<DevAnswer> {
  const parsed = TokenForm.safeParse(Object.fromEntries(new URLSearchParams(form)));
  if (!parsed.success) return invalid(parsed.error);
  try {
    const idToken = await idp.exchange({
      clientId: parsed.data.client_id,
      code: parsed.data.code,
      redirectUri: parsed.data.redirect_uri,
      codeVerifier: parsed.data.code_verifier,
    });
    return {
      status: 200,
      body: { id_token: idToken, token_type: 'Bearer', expires_in: idp.tokenLifetimeSeconds },
    };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return {
      status: 400,
      error: 'validation_failed',
      params: { detail: `${error.error}: ${error.message}` },
    };
  }
}
