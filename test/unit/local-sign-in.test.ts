import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { devLogin, devToken } from '../../local/dev-login';
import { LOCAL_AUDIENCE, LocalIdentityProvider } from '../../local/identity-provider';

/*
 * The local identity provider answers the web inbox's sign-in as Cognito does: the authorization code
 * grant with PKCE (S256), a single-use code, the nonce in the ID token.
 */

const USER = { userId: 'city-clerk', name: 'Văn thư', orgId: 'ubnd-hanoi', role: 'clerk' };
const REDIRECT = 'http://127.0.0.1:3000/';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const login = (challenge: string, overrides: Record<string, unknown> = {}) => ({
  userId: USER.userId,
  clientId: LOCAL_AUDIENCE,
  redirectUri: REDIRECT,
  state: 'state-0123456789abcdef',
  nonce: 'nonce-0123456789abcdef',
  codeChallenge: challenge,
  codeChallengeMethod: 'S256',
  ...overrides,
});

const form = (values: Record<string, string>) =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: LOCAL_AUDIENCE,
    redirect_uri: REDIRECT,
    ...values,
  }).toString();

describe('the local identity provider’s code + PKCE sign-in', () => {
  let idp: LocalIdentityProvider;
  beforeAll(async () => {
    idp = await LocalIdentityProvider.open(await mkdtemp(join(tmpdir(), 'docflow-idp-')));
  });

  it('hands out a code for the challenge, and an ID token with the nonce for the verifier, once', async () => {
    const { verifier, challenge } = pkce();
    const answer = await devLogin(idp, [USER], login(challenge));
    expect(answer).toMatchObject({ status: 200, body: { state: 'state-0123456789abcdef' } });
    const code = (answer as { body: { code: string } }).body.code;
    const token = await devToken(idp, form({ code, code_verifier: verifier }));
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    const idToken = (token as { body: { id_token: string } }).body.id_token;
    expect(decodeJwt(idToken)).toMatchObject({
      nonce: 'nonce-0123456789abcdef',
      sub: USER.userId,
      aud: LOCAL_AUDIENCE,
    });
    expect(await idp.verify(idToken)).toBeDefined();
    // The code is spent.
    expect(await devToken(idp, form({ code, code_verifier: verifier }))).toMatchObject({ status: 400 });
  });

  it('refuses a verifier that is not the challenge’s, and spends the code all the same', async () => {
    const { verifier, challenge } = pkce();
    const code = ((await devLogin(idp, [USER], login(challenge))) as { body: { code: string } }).body.code;
    expect(await devToken(idp, form({ code, code_verifier: pkce().verifier }))).toMatchObject({
      status: 400,
      error: 'validation_failed',
    });
    expect(await devToken(idp, form({ code, code_verifier: verifier }))).toMatchObject({ status: 400 });
  });

  it('refuses another redirect URI or client at the token endpoint', async () => {
    for (const change of [{ redirect_uri: 'http://evil.example/' }, { client_id: 'other' }] as Record<
      string,
      string
    >[]) {
      const { verifier, challenge } = pkce();
      const code = ((await devLogin(idp, [USER], login(challenge))) as { body: { code: string } }).body.code;
      expect(await devToken(idp, form({ code, code_verifier: verifier, ...change }))).toMatchObject({
        status: 400,
      });
    }
  });

  it('refuses bad authorize requests with 4xx: a plain challenge, another client, an unknown user, no state', async () => {
    const { challenge } = pkce();
    expect(await devLogin(idp, [USER], login(challenge, { codeChallengeMethod: 'plain' }))).toMatchObject({
      status: 400,
    });
    expect(await devLogin(idp, [USER], login('short'))).toMatchObject({ status: 400 });
    expect(await devLogin(idp, [USER], login(challenge, { clientId: 'other' }))).toMatchObject({
      status: 400,
    });
    expect(await devLogin(idp, [USER], login(challenge, { userId: 'nobody' }))).toMatchObject({
      status: 404,
      error: 'unknown_user',
    });
    expect(await devLogin(idp, [USER], login(challenge, { state: undefined }))).toMatchObject({
      status: 400,
    });
    expect(await devToken(idp, 'grant_type=password')).toMatchObject({ status: 400 });
  });

  it('still signs API clients in with {userId} alone', async () => {
    const answer = await devLogin(idp, [USER], { userId: USER.userId });
    expect(answer).toMatchObject({ status: 200, body: { user: USER } });
    expect(await idp.verify((answer as { body: { token: string } }).body.token)).toBeDefined();
    expect(await devLogin(idp, [USER], {})).toMatchObject({ status: 400, error: 'validation_failed' });
  });
});
