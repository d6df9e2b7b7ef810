import { describe, expect, it } from 'vitest';
import { capacityChoices, eitherWay, preferredChoice, signBody } from './capacities';
import {
  callbackFromQuery,
  checkIdToken,
  cognitoAuthorizeUrl,
  completeSignIn,
  newAuthorizationRequest,
  pkceChallenge,
  rememberRequest,
  SignInError,
  signInMode,
  takeRequest,
} from './config';
import { addDays, deadlineStatus, fold, formatDate, formatDateTime, matches, vietnamToday } from './format';
import { translator, webMessages } from './i18n';
import { href, parseRoute } from './router';
import { currentReport, type DocumentAudit, signatureChecks, type VerificationReport } from './verification';

/*
 * The web inbox's pure logic, in Node: sign-in (code grant, PKCE), dates and deadlines, search, routes, the
 * sign form's choices. Which actions a person may take is the server's answer
 * (test/unit/available-actions.test.ts).
 */

describe('sign-in: authorization code grant with PKCE', () => {
  const COGNITO = { domain: 'https://docflow.auth.ap-southeast-1.amazoncognito.com', clientId: 'abc123' };
  const jwt = (claims: Record<string, unknown>) =>
    `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

  it('signs in the local demo users against the local identity provider’s token endpoint', () => {
    expect(signInMode(undefined, 'http://127.0.0.1:3000')).toEqual({
      kind: 'demo',
      token: {
        url: 'http://127.0.0.1:3000/api/dev/token',
        clientId: 'docflow-web',
        redirectUri: 'http://127.0.0.1:3000/',
      },
    });
    expect(signInMode({}, 'http://127.0.0.1:3000').kind).toBe('demo');
  });

  it('sends people to the Cognito hosted UI for a code, with state, nonce and an S256 challenge', async () => {
    const mode = signInMode({ cognito: COGNITO }, 'https://vanban.hanoi.gov.vn');
    expect(mode).toMatchObject({
      kind: 'cognito',
      token: {
        url: 'https://docflow.auth.ap-southeast-1.amazoncognito.com/oauth2/token',
        clientId: 'abc123',
        redirectUri: 'https://vanban.hanoi.gov.vn/',
      },
    });
    const request = await newAuthorizationRequest();
    const url = new URL(cognitoAuthorizeUrl(COGNITO, 'https://vanban.hanoi.gov.vn', request));
    expect(url.origin + url.pathname).toBe(
      'https://docflow.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'abc123',
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: 'https://vanban.hanoi.gov.vn/',
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
    // Never the verifier, never a token in the URL.
    expect(url.toString()).not.toContain(request.codeVerifier);
  });

  it('derives the challenge as RFC 7636 says (its appendix B example), from a fresh 256-bit verifier', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const [a, b] = [await newAuthorizationRequest(), await newAuthorizationRequest()];
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.state, a.nonce, a.codeVerifier, b.state, b.nonce, b.codeVerifier]).size).toBe(6);
  });

  it('honours a configured redirect URI and scopes', () => {
    const cognito = {
      domain: 'https://auth.example',
      clientId: 'x',
      redirectUri: 'https://app.example/cb',
      scopes: ['openid'],
    };
    const url = new URL(
      cognitoAuthorizeUrl(cognito, 'https://ignored', { state: 's', nonce: 'n', codeChallenge: 'c' }),
    );
    expect(url.searchParams.get('redirect_uri')).toBe('https://app.example/cb');
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(signInMode({ cognito }, 'https://ignored').token.redirectUri).toBe('https://app.example/cb');
  });

  it('reads the answer from the query, code or error', () => {
    expect(callbackFromQuery('?code=abc&state=xyz')).toEqual({ kind: 'code', code: 'abc', state: 'xyz' });
    expect(callbackFromQuery('?error=access_denied&error_description=no&state=xyz')).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'no',
      state: 'xyz',
    });
    expect(callbackFromQuery('')).toBeUndefined();
    expect(callbackFromQuery('?code=abc')).toBeUndefined();
  });

  it('exchanges the code with the verifier, and takes the ID token only with this request’s nonce', async () => {
    const request = await newAuthorizationRequest();
    const endpoint = {
      url: 'https://auth.example/oauth2/token',
      clientId: 'abc123',
      redirectUri: 'https://app.example/',
    };
    const sent: { url: string; body: string }[] = [];
    const answering = (claims: Record<string, unknown>, status = 200) =>
      (async (url: string | URL | Request, init?: RequestInit) => {
        sent.push({ url: String(url), body: String(init?.body) });
        return new Response(
          JSON.stringify(status === 200 ? { id_token: jwt(claims) } : { error: 'invalid_grant' }),
          {
            status,
          },
        );
      }) as typeof fetch;
    const good = { nonce: request.nonce, aud: 'abc123', sub: 'x' };
    const token = await completeSignIn(
      endpoint,
      request,
      { kind: 'code', code: 'C0DE', state: request.state },
      answering(good),
    );
    expect(token).toBe(jwt(good));
    expect(sent[0]?.url).toBe(endpoint.url);
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'abc123',
      code: 'C0DE',
      redirect_uri: 'https://app.example/',
      code_verifier: request.codeVerifier,
    });

    const code = { kind: 'code', code: 'C0DE', state: request.state } as const;
    await expect(
      completeSignIn(endpoint, request, { ...code, state: 'forged' }, answering(good)),
    ).rejects.toMatchObject({ code: 'state_mismatch' });
    await expect(
      completeSignIn(endpoint, request, code, answering({ ...good, nonce: 'another' })),
    ).rejects.toMatchObject({ code: 'nonce_mismatch' });
    await expect(
      completeSignIn(endpoint, request, code, answering({ ...good, aud: 'another-client' })),
    ).rejects.toMatchObject({ code: 'token_refused' });
    await expect(completeSignIn(endpoint, request, code, answering(good, 400))).rejects.toMatchObject({
      code: 'token_refused',
    });
    await expect(
      completeSignIn(
        endpoint,
        request,
        { kind: 'error', error: 'access_denied', state: request.state },
        answering(good),
      ),
    ).rejects.toMatchObject({ code: 'provider_refused' });
    expect(() => checkIdToken('not-a-jwt', request, 'abc123')).toThrow(SignInError);
  });

  it('keeps a request across the redirect, for one use only', async () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    } as Storage;
    const request = await newAuthorizationRequest();
    rememberRequest(storage, request);
    expect(takeRequest(storage)).toEqual(request);
    expect(takeRequest(storage)).toBeUndefined();
    storage.setItem('docflow.signin', '{"state": 1}');
    expect(takeRequest(storage)).toBeUndefined();
  });
});

describe('dates and deadlines, Vietnam time', () => {
  it("knows today's date in Hà Nội (UTC+7)", () => {
    expect(vietnamToday(new Date('2026-01-04T17:30:00Z'))).toBe('2026-01-05');
    expect(vietnamToday(new Date('2026-01-04T16:59:00Z'))).toBe('2026-01-04');
  });

  it('classifies deadlines: overdue stands out, then today, soon, later', () => {
    expect(deadlineStatus('2026-03-01', '2026-03-04')).toEqual({ kind: 'overdue', days: 3 });
    expect(deadlineStatus('2026-03-04', '2026-03-04')).toEqual({ kind: 'today' });
    expect(deadlineStatus('2026-03-06', '2026-03-04')).toEqual({ kind: 'soon', days: 2 });
    expect(deadlineStatus('2026-03-20', '2026-03-04')).toEqual({ kind: 'later', days: 16 });
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
  });

  it('formats dates the Vietnamese way, in Vietnam time', () => {
    expect(formatDate('2026-01-05', 'vi-VN')).toBe('05/01/2026');
    expect(formatDateTime('2026-01-05T02:30:00.000Z', 'vi-VN')).toBe('09:30 05/01/2026');
    expect(formatDate(undefined, 'vi-VN')).toBe('—');
  });
});

describe('search', () => {
  it('matches Vietnamese with or without diacritics, every word', () => {
    expect(fold('Đường Trần Hưng Đạo')).toBe('duong tran hung dao');
    expect(matches('noi vu', 'Sở Nội vụ')).toBe(true);
    expect(matches('QĐ-UBND 01', '01/QĐ-UBND', 'Về việc …')).toBe(true);
    expect(matches('tai chinh', 'Sở Nội vụ')).toBe(false);
    expect(matches('', 'anything')).toBe(true);
  });
});

describe('dictionaries', () => {
  it('English has every message Vietnamese has, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, { vi, en }] of Object.entries(webMessages.catalogue)) {
      expect(en, key).toBeTypeOf('string');
      expect(placeholders(en), key).toEqual(placeholders(vi));
    }
    expect(translator('vi')('overdue', { days: 3 })).toBe('Quá hạn 3 ngày');
    expect(translator('en')('overdue', { days: 3 })).toBe('3 days overdue');
  });
});

describe('routes', () => {
  it('round-trips every page through the hash', () => {
    for (const route of [
      { page: 'folder', folder: 'to-sign' },
      { page: 'document', id: 'd7ebd338-845a-4c47-8f70-788e114c7de8' },
      { page: 'new' },
      { page: 'audit' },
      { page: 'audit', id: 'abc' },
      { page: 'profile' },
    ] as const) {
      expect(parseRoute(href(route))).toEqual(route);
    }
    expect(parseRoute('#/folder/nonsense')).toEqual({ page: 'home' });
    expect(parseRoute('')).toEqual({ page: 'home' });
    // The register screen keeps its filters after `?`.
    expect(parseRoute('#/registers?kind=follow-up&from=2026-01-01')).toEqual({ page: 'registers' });
  });
});

describe('the sign form', () => {
  it('offers the capacities the view lists, KT. with the box for the collective body', () => {
    const choices = capacityChoices([{ kind: 'KT' }, { kind: 'KT', onBehalfOfCollective: true }]);
    expect(choices.map((c) => c.key)).toEqual(['KT']);
    const kt = preferredChoice(choices);
    expect(eitherWay(kt)).toBe(true);
    expect(signBody(kt, true)).toEqual({ capacity: 'KT', onBehalfOfCollective: true });
    expect(signBody(kt, false)).toEqual({ capacity: 'KT', onBehalfOfCollective: false });
    // "From my position": the server takes the signer's first capacity.
    expect(signBody(undefined, true)).toEqual({});
  });

  it('starts a chairman on TM. and offers nothing he does not hold', () => {
    const choices = capacityChoices([{ kind: 'own' }, { kind: 'TM' }]);
    expect(choices.map((c) => c.kind)).toEqual(['own', 'TM']);
    const tm = preferredChoice(choices);
    expect(tm?.kind).toBe('TM');
    expect(eitherWay(tm)).toBe(false);
    expect(signBody(tm, true)).toEqual({ capacity: 'TM' });
  });

  it('sends a department deputy’s KT. alone, and a delegation by its id', () => {
    const [kt] = capacityChoices([{ kind: 'KT' }]);
    expect(eitherWay(kt)).toBe(false);
    expect(signBody(kt, true)).toEqual({ capacity: 'KT', onBehalfOfCollective: false });
    const [tuq] = capacityChoices([{ kind: 'TUQ', delegationId: 'del-1' }]);
    expect(signBody(tuq, true)).toEqual({ capacity: 'TUQ', delegationId: 'del-1' });
  });
});

describe('verification reports', () => {
  const report = (verdict: VerificationReport['verdict']): VerificationReport => ({
    fileSize: 1,
    revisions: 1,
    verdict,
    summary: { vi: '', en: '' },
    signatures: [],
  });
  it("reads the current version's report, never a draft's", () => {
    const audit: DocumentAudit = {
      documentId: 'd1',
      checkedAt: '2026-01-05T00:00:00Z',
      verdict: 'valid',
      currentSha256: 'c',
      chain: { ok: true, length: 3, atSeq: null, message: null },
      revisions: [
        { index: 1, sha256: 'a', role: 'draft', file: 'ok', report: report('unsigned') },
        { index: 2, sha256: 'c', role: 'issued', file: 'ok', report: report('valid') },
        { index: 3, sha256: 'z', role: 'other', file: 'ok', report: report('invalid') },
      ],
      transparency: null,
      problems: [],
      summary: { vi: '', en: '' },
    };
    expect(currentReport(audit)?.verdict).toBe('valid');
    expect(currentReport({ ...audit, currentSha256: null })?.verdict).toBe('invalid');
  });

  it('leaves document timestamps out of the signature list', () => {
    const base = report('valid');
    const sig = (type: string) => ({ ...({} as VerificationReport['signatures'][number]), type, index: 1 });
    expect(
      signatureChecks({ ...base, signatures: [sig('signature'), sig('document-timestamp')] }),
    ).toHaveLength(1);
  });
});
