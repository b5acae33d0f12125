import { parseIp } from '../../lib/netAddress';

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
 * Whose bucket an address draws from: an IPv4 address its own, an IPv6 address its /64, since one
 * host commonly holds a whole /64 and could otherwise take a fresh bucket for every attempt.
 */
export function sourceKey(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address;
  if (ip.family === 4) return ip.text;
  const groups = [0, 2, 4, 6].map((i) => ((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16));
  return `${groups.join(':')}::/64`;
}

/**
 * A token bucket and an in-flight counter per source address. It is asked before expensive work
 * that anyone can ask for (a login hashes a password, the host-key probe opens a TCP connection),
 * so a flood from one address is refused at once, without doing the work.
 */
export class SourceLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: SourceLimits,
    private readonly now: () => number = Date.now,
  ) {}

  admit(source: string): Admission {
    const bucket = this.refilled(sourceKey(source));
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

/**
 * Every way into the console that costs real work before it knows who asks, by name, with its limits
 * per source address. Each name has one bucket per source, whichever door the attempt comes through:
 * `login` is the web login and the SSH CLI's password and public-key logins together, so a source that
 * spent its attempts over SSH is refused on the web too. A new door (RESTCONF, metrics) adds its name here.
 */
export const ACCESS_LIMITS = {
  login: { what: 'login attempts', limits: { burst: 20, perMinute: 20, concurrent: 2 } },
  hostKey: { what: 'host key checks', limits: { burst: 10, perMinute: 10, concurrent: 2 } },
  // Every RESTCONF request carries its password (HTTP Basic), so each one costs a password hash (~100 ms):
  // room for a poller reading a few paths every few seconds, not for a guessing script.
  restconf: { what: 'RESTCONF requests', limits: { burst: 30, perMinute: 60, concurrent: 2 } },
  // A Prometheus scraping every second, twice over (an HA pair behind one NAT), fits; a password guesser does not.
  metrics: { what: 'metrics scrapes', limits: { burst: 30, perMinute: 120, concurrent: 2 } },
} as const satisfies Record<string, { what: string; limits: SourceLimits }>;

export type AccessKind = keyof typeof ACCESS_LIMITS;

/** The console's one per-source limiter: the request gate, the SSH CLI and any later door ask it by name. */
export class AccessLimiter {
  private readonly limiters = new Map<AccessKind, SourceLimiter>();

  constructor(now: () => number = Date.now) {
    for (const kind of Object.keys(ACCESS_LIMITS) as AccessKind[]) this.limiters.set(kind, new SourceLimiter(ACCESS_LIMITS[kind].limits, now));
  }

  /** Admits one attempt of `kind` from `source`, or says why not in words the caller can show (`Too many login attempts from …`). */
  admit(kind: AccessKind, source: string): { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; message: string } {
    const admission = this.limiters.get(kind)!.admit(source);
    if (admission.ok) return admission;
    const { what } = ACCESS_LIMITS[kind];
    const why = admission.reason === 'rate' ? `Too many ${what} from ${source}` : `Too many ${what} at once from ${source}`;
    return { ok: false, retryAfterSeconds: admission.retryAfterSeconds, message: `${why}; try again in ${admission.retryAfterSeconds} s.` };
  }
}
