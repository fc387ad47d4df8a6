/**
 * A token bucket per key, per instance: `rate` sends a second with bursts up to `burst`.
 * Per instance is enough: a person's sockets mostly sit on one instance, and the bound
 * only has to stop floods, not meter exactly.
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private rate: number, private burst: number) {}

  /** Takes one token; false when the key is over its rate. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.rate / 1000);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 10_000) this.#forgetFull(now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #forgetFull(now: number) {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.at) * this.rate / 1000 >= this.burst) this.#buckets.delete(key);
    }
  }
}
