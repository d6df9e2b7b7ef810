import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translator } from './i18n';
import { namedAddress, passkeyErrorMessage } from './passkeys';
import { checkRevision, inBatches, outcomeOf, shortSha256, toHex, totpCode } from './signing';

/*
 * The signing dialog's own decisions, in Node: whether the revision to be signed is the file shown, whether
 * a failure means "not done" or "outcome unknown", and what a passkey's failure tells the person.
 */

const SHA = 'e537caf7d7f7897d0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b430cb';
const OTHER = '0000000000000000000000000000000000000000000000000000000000000001';

describe('the revision to be signed against the file shown', () => {
  it('shortens a SHA-256 to its first 16 hex digits in fours and its last four', () => {
    expect(shortSha256(SHA)).toBe('e537 caf7 d7f7 897d … 30cb');
  });

  it('matches when the file served is the prepared revision and the one the page shows', () => {
    expect(checkRevision({ revisionSha256: SHA }, SHA, SHA)).toEqual({ kind: 'match' });
    expect(checkRevision({ revisionSha256: SHA }, SHA.toUpperCase(), undefined)).toEqual({ kind: 'match' });
  });

  it('refuses a revision that is not the file served, whatever the page shows', () => {
    expect(checkRevision({ revisionSha256: SHA }, OTHER, SHA)).toEqual({
      kind: 'mismatch',
      fileSha256: OTHER,
    });
    expect(checkRevision({ revisionSha256: SHA }, OTHER, undefined)).toEqual({
      kind: 'mismatch',
      fileSha256: OTHER,
    });
  });

  it('calls it stale when the document changed since the page showed it', () => {
    expect(checkRevision({ revisionSha256: SHA }, SHA, OTHER)).toEqual({ kind: 'stale' });
  });

  it('hashes bytes to lower-case hex', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc'));
    expect(toHex(digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('after a failure: refused or unknown', () => {
  it('takes a 4xx for a refusal (nothing done) and no answer, a 5xx or an unreadable answer for unknown', () => {
    expect(outcomeOf(new ApiError(409, 'signature_request_not_authorized', 'x'))).toBe('refused');
    expect(outcomeOf(new ApiError(403, 'authorization_failed', 'x'))).toBe('refused');
    expect(outcomeOf(new ApiError(0, 'network', 'x'))).toBe('unknown');
    expect(outcomeOf(new ApiError(500, 'internal', 'x'))).toBe('unknown');
    expect(outcomeOf(new ApiError(503, 'http', 'x'))).toBe('unknown');
    expect(outcomeOf(new ApiError(409, 'idempotency_in_progress', 'x'))).toBe('unknown');
    expect(outcomeOf(new ApiError(200, 'bad_response', 'x'))).toBe('unknown');
    // Anything else thrown on the way (a bug, a browser error) may have come after the server acted.
    expect(outcomeOf(new TypeError('Failed to fetch'))).toBe('unknown');
  });
});

describe('codes and batches', () => {
  it('takes six digits, with the spaces apps show removed', () => {
    expect(totpCode('123456')).toBe('123456');
    expect(totpCode(' 123 456 ')).toBe('123456');
    expect(totpCode('12345')).toBeUndefined();
    expect(totpCode('1234567')).toBeUndefined();
    expect(totpCode('12345a')).toBeUndefined();
  });

  it('runs a batch a few at a time and keeps the results in order', async () => {
    let running = 0;
    let most = 0;
    const results = await inBatches([5, 1, 4, 2, 3, 0], 3, async (n, i) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((done) => setTimeout(done, n * 3));
      running -= 1;
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(3);
    expect(await inBatches([], 3, async () => 1)).toEqual([]);
  });
});

describe('passkey failures, in the person’s words', () => {
  const vi = translator('vi');
  const en = translator('en');
  const at = (url: string) => {
    const { protocol, hostname, port } = new URL(url);
    return { protocol, hostname, port };
  };
  const failure = (code: WebAuthnError['code'], name: string) =>
    new WebAuthnError({ message: 'x', code, cause: new Error('x'), name });

  it('sends a page opened at 127.0.0.1 to the same port at localhost', () => {
    expect(namedAddress(at('http://127.0.0.1:41637/#/me'))).toBe('http://localhost:41637');
    expect(namedAddress(at('http://[::1]:3000/'))).toBe('http://localhost:3000');
    expect(namedAddress(at('http://localhost:3000/'))).toBeUndefined();
    expect(namedAddress(at('https://10.0.0.5/'))).toBeUndefined();
    expect(
      passkeyErrorMessage(failure('ERROR_INVALID_DOMAIN', 'SecurityError'), vi, at('http://127.0.0.1:3000/')),
    ).toBe(
      'Khóa truy cập chỉ dùng được khi trang được mở bằng tên miền, không phải địa chỉ IP. Hãy mở http://localhost:3000 và thử lại.',
    );
    expect(
      passkeyErrorMessage(new DOMException('bad rp', 'SecurityError'), en, at('https://vanban.example/')),
    ).toBe(
      'Passkeys cannot be used at this page’s address. Open docflow at its official address and try again.',
    );
  });

  it('says a cancelled or timed-out ceremony changed nothing, and names a device that already has one', () => {
    expect(
      passkeyErrorMessage(
        failure('ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError'),
        en,
        at('http://localhost/'),
      ),
    ).toBe('The passkey was not used (cancelled, or the time ran out). Nothing changed; try again.');
    expect(
      passkeyErrorMessage(
        failure('ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', 'InvalidStateError'),
        vi,
        at('http://localhost/'),
      ),
    ).toBe('Thiết bị này đã có khóa truy cập của bạn.');
    expect(passkeyErrorMessage(new Error('boom'), en, at('http://localhost/'))).toBe(
      'Your device reported an error with the passkey: boom',
    );
  });
});
