import { describe, expect, it } from 'vitest';
import { capacityChoices, eitherWay, preferredChoice, signBody } from './capacities';
import { cognitoAuthorizeUrl, signInMode, tokenFromFragment } from './config';
import { addDays, deadlineStatus, fold, formatDate, formatDateTime, matches, vietnamToday } from './format';
import { translator, webMessages } from './i18n';
import { href, parseRoute } from './router';
import { currentReport, type DocumentAudit, signatureChecks, type VerificationReport } from './verification';

/*
 * The web inbox's pure logic, in Node: sign-in switch, dates and deadlines, search, routes, the sign form's
 * choices. Which actions a person may take is the server's answer (test/unit/available-actions.test.ts).
 */

describe('sign-in switch', () => {
  it('offers the demo users when no Cognito is configured', () => {
    expect(signInMode(undefined, 'http://127.0.0.1:3000')).toEqual({ kind: 'demo' });
    expect(signInMode({}, 'http://127.0.0.1:3000')).toEqual({ kind: 'demo' });
  });

  it('redirects to the Cognito hosted UI when window.DOCFLOW_CONFIG.cognito is set', () => {
    const mode = signInMode(
      { cognito: { domain: 'https://docflow.auth.ap-southeast-1.amazoncognito.com', clientId: 'abc123' } },
      'https://vanban.hanoi.gov.vn',
    );
    expect(mode.kind).toBe('cognito');
    const url = new URL(mode.kind === 'cognito' ? mode.url : '');
    expect(url.origin + url.pathname).toBe(
      'https://docflow.auth.ap-southeast-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'abc123',
      response_type: 'token',
      scope: 'openid email profile',
      redirect_uri: 'https://vanban.hanoi.gov.vn/',
    });
  });

  it('honours a configured redirect URI and scopes', () => {
    const url = new URL(
      cognitoAuthorizeUrl(
        {
          domain: 'https://auth.example',
          clientId: 'x',
          redirectUri: 'https://app.example/cb',
          scopes: ['openid'],
        },
        'https://ignored',
      ),
    );
    expect(url.searchParams.get('redirect_uri')).toBe('https://app.example/cb');
    expect(url.searchParams.get('scope')).toBe('openid');
  });

  it('takes the token Cognito returns in the fragment', () => {
    expect(
      tokenFromFragment('#id_token=aaa.bbb.ccc&access_token=ddd&expires_in=3600&token_type=Bearer'),
    ).toBe('aaa.bbb.ccc');
    expect(tokenFromFragment('#access_token=ddd')).toBe('ddd');
    expect(tokenFromFragment('#/folder/incoming')).toBeUndefined();
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
