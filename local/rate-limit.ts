/*
 * The local twin of the public routes' throttling (lambdas/routes.ts publicThrottle): a token bucket per
 * client and route, as API Gateway's is per route (and a web ACL's rate rule per client). Bounded: clients
 * are forgotten once their bucket is full again, and at most `maxClients` are remembered (the oldest goes).
 */

export interface RateLimit {
  /** Tokens added per second. */
  readonly rateLimit: number;
  /** Bucket size: requests allowed at once. */
  readonly burstLimit: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: seconds until one request is allowed again. */
  readonly retryAfterSeconds: number;
}

export class ClientRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxClients = 10_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  take(client: string): RateDecision {
    const now = this.clock();
    const { rateLimit, burstLimit } = this.limit;
    const bucket = this.#buckets.get(client) ?? { tokens: burstLimit, at: now };
    bucket.tokens = Math.min(burstLimit, bucket.tokens + ((now - bucket.at) / 1000) * rateLimit);
    bucket.at = now;
    this.#buckets.delete(client);
    if (bucket.tokens < 1) {
      this.#buckets.set(client, bucket);
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / rateLimit) };
    }
    bucket.tokens -= 1;
    this.#buckets.set(client, bucket);
    this.#forget(now);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #forget(now: number): void {
    // Map order is last use: the oldest first.
    for (const [client, bucket] of this.#buckets) {
      const full = bucket.tokens + ((now - bucket.at) / 1000) * this.limit.rateLimit >= this.limit.burstLimit;
      if (!full && this.#buckets.size <= this.maxClients) break;
      this.#buckets.delete(client);
    }
  }
}
