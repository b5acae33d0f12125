export interface SourceLimits {
  /** Requests a source may make at once before it has to wait... */
  burst: number;
  /** ...and how many more it earns per minute after that. */
  perMinute: number;
  /** Requests of one source in flight at the same time. */
  concurrent: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; reason: 'rate' | 'concurrency' };

interface Bucket {
  tokens: number;
  updatedAt: number;
  inFlight: number;
}

// Past this many tracked sources, full and idle buckets are forgotten so a spray of addresses cannot grow the map forever.
const PRUNE_ABOVE = 10_000;

/**
 * A token bucket and an in-flight counter per source address. The request gate asks it before an
 * expensive public endpoint (login hashes a password, the host-key probe opens a TCP connection),
 * so a flood from one address is answered 429 at once, without doing the work.
 */
export class SourceLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: SourceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  admit(source: string): Admission {
    const bucket = this.refilled(source);
    if (bucket.inFlight >= this.limits.concurrent) return { ok: false, retryAfterSeconds: 1, reason: 'concurrency' };
    if (bucket.tokens < 1) {
      const secondsPerToken = 60 / this.limits.perMinute;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) * secondsPerToken)), reason: 'rate' };
    }
    bucket.tokens -= 1;
    bucket.inFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        bucket.inFlight -= 1;
      },
    };
  }

  private refilled(source: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune();
      bucket = { tokens: this.limits.burst, updatedAt: now, inFlight: 0 };
      this.buckets.set(source, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.updatedAt) / 60_000) * this.limits.perMinute);
    bucket.updatedAt = now;
    return bucket;
  }

  private prune(): void {
    const now = this.now();
    for (const [source, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.updatedAt) / 60_000) * this.limits.perMinute;
      if (bucket.inFlight === 0 && tokens >= this.limits.burst) this.buckets.delete(source);
    }
  }
}
