// The webhook signature scheme (core/webhooks/signature.ts) as a receiver checks it: the tolerance window,
// both secrets during a rotation, and a tampered body or header refused; and which endpoints may be registered.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../lambdas/core/webhooks/signature';
import { endpointProblem, isInternalAddress } from '../../lambdas/core/webhooks/webhooks';

const body = '{"id":"d1.7","type":"document.issued"}';
const T = 1_764_780_000;

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over "<timestamp>.<body>", in hex, after t=', () => {
    const header = signWebhook(body, ['whsec_a'], T);
    const expected = createHmac('sha256', 'whsec_a').update(`${T}.${body}`).digest('hex');
    expect(header).toBe(`t=${T},v1=${expected}`);
    expect(verifyWebhookSignature(body, header, 'whsec_a', { now: T })).toEqual({
      valid: true,
      timestamp: T,
    });
  });

  it('are refused outside the tolerance window, either way, and accepted at its edge', () => {
    const header = signWebhook(body, ['whsec_a'], T);
    expect(verifyWebhookSignature(body, header, 'whsec_a', { now: T + 300 }).valid).toBe(true);
    expect(verifyWebhookSignature(body, header, 'whsec_a', { now: T + 301 })).toEqual({
      valid: false,
      reason: 'outside_tolerance',
    });
    expect(verifyWebhookSignature(body, header, 'whsec_a', { now: T - 301 }).valid).toBe(false);
    expect(
      verifyWebhookSignature(body, header, 'whsec_a', { now: T + 3000, toleranceSeconds: 3600 }).valid,
    ).toBe(true);
  });

  it('carry both secrets during a rotation: a receiver with either the old or the new one accepts', () => {
    const header = signWebhook(body, ['whsec_old', 'whsec_new'], T);
    expect(header.split(',')).toHaveLength(3);
    expect(verifyWebhookSignature(body, header, 'whsec_old', { now: T }).valid).toBe(true);
    expect(verifyWebhookSignature(body, header, 'whsec_new', { now: T }).valid).toBe(true);
    expect(verifyWebhookSignature(body, header, ['whsec_x', 'whsec_new'], { now: T }).valid).toBe(true);
    expect(verifyWebhookSignature(body, header, 'whsec_other', { now: T })).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
    // After the overlap only the new one signs: the old secret no longer matches.
    const after = signWebhook(body, ['whsec_new'], T);
    expect(verifyWebhookSignature(body, after, 'whsec_old', { now: T }).valid).toBe(false);
  });

  it('refuse a changed body, a changed timestamp and malformed headers', () => {
    const header = signWebhook(body, ['whsec_a'], T);
    expect(verifyWebhookSignature(`${body} `, header, 'whsec_a', { now: T }).valid).toBe(false);
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhookSignature(body, moved, 'whsec_a', { now: T })).toEqual({
      valid: false,
      reason: 'no_matching_signature',
    });
    for (const bad of [undefined, '', 'v1=abc', `t=${T}`, `t=x,v1=${'0'.repeat(64)}`, 't=1=2']) {
      expect(verifyWebhookSignature(body, bad, 'whsec_a', { now: T })).toEqual({
        valid: false,
        reason: 'malformed_header',
      });
    }
    expect(() => signWebhook(body, [], T)).toThrow();
  });
});

describe('webhook endpoints', () => {
  const deployed = { allowLoopback: false };
  const local = { allowLoopback: true };
  it('must be https to a public host when deployed', () => {
    expect(endpointProblem('https://portal.hanoi.gov.vn/hooks/docflow', deployed)).toBeUndefined();
    expect(endpointProblem('http://portal.hanoi.gov.vn/hooks', deployed)).toBe('https_required');
    expect(endpointProblem('not a url', deployed)).toBe('invalid_url');
    expect(endpointProblem('https://user:pw@portal.hanoi.gov.vn/', deployed)).toBe('invalid_url');
    for (const inside of [
      'https://127.0.0.1/',
      'https://localhost:8443/',
      'https://10.1.2.3/',
      'https://172.20.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://0.0.0.0/',
      'https://metadata.internal/',
    ]) {
      expect(endpointProblem(inside, deployed), inside).toBe('private_address');
    }
    expect(endpointProblem('http://127.0.0.1:4000/hook', deployed)).toBe('https_required');
  });

  it('may be http to the loopback only where the local flag allows it', () => {
    expect(endpointProblem('http://127.0.0.1:4000/hook', local)).toBeUndefined();
    expect(endpointProblem('http://10.0.0.1/hook', local)).toBe('https_required');
    expect(endpointProblem('https://10.0.0.1/hook', local)).toBe('private_address');
  });

  it('name internal addresses, and leave public ones', () => {
    expect(isInternalAddress('100.64.0.1')).toBe(true);
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('2001:4860:4860::8888')).toBe(false);
    expect(isInternalAddress('203.162.4.190')).toBe(false);
  });
});
