import { describe, expect, it } from 'vitest';
import { ClientRateLimiter } from '../../local/rate-limit';

describe('local per-client rate limit', () => {
  it('allows a burst, then one request per 1/rate seconds, per client', () => {
    let now = 0;
    const limiter = new ClientRateLimiter({ rateLimit: 2, burstLimit: 3 }, 100, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([true, true, true, false]);
    expect(limiter.take('a').retryAfterSeconds).toBe(1);
    expect(limiter.take('b').allowed).toBe(true);
    now = 499;
    expect(limiter.take('a').allowed).toBe(false);
    now = 1_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('remembers a bounded number of clients and forgets those whose bucket is full again', () => {
    let now = 0;
    const limiter = new ClientRateLimiter({ rateLimit: 1, burstLimit: 2 }, 50, () => now);
    for (let i = 0; i < 1_000; i += 1) limiter.take(`client-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(51);
    now = 10_000;
    limiter.take('late');
    expect(limiter.size).toBe(1);
  });
});
