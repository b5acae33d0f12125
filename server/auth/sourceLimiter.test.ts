import { describe, expect, it } from 'vitest';
import { AccessLimiter, SourceLimiter, sourceKey } from './sourceLimiter';

describe('SourceLimiter', () => {
  it('lets a burst through, then one more per minute/perMinute, and keeps sources apart', () => {
    let now = 0;
    const limiter = new SourceLimiter({ burst: 3, perMinute: 6, concurrent: 10 }, () => now);
    for (let i = 0; i < 3; i += 1) expect(limiter.admit('10.0.0.1').ok).toBe(true);
    expect(limiter.admit('10.0.0.1')).toEqual({ ok: false, reason: 'rate', retryAfterSeconds: 10 });
    expect(limiter.admit('10.0.0.2').ok).toBe(true);
    now += 10_000;
    expect(limiter.admit('10.0.0.1').ok).toBe(true);
    expect(limiter.admit('10.0.0.1').ok).toBe(false);
    now += 10 * 60_000;
    for (let i = 0; i < 3; i += 1) expect(limiter.admit('10.0.0.1').ok, 'refilled to the burst, not beyond').toBe(true);
    expect(limiter.admit('10.0.0.1').ok).toBe(false);
  });

  it('holds a source to its concurrency until a request is released, once', () => {
    const limiter = new SourceLimiter({ burst: 100, perMinute: 100, concurrent: 2 });
    const first = limiter.admit('10.0.0.1');
    const second = limiter.admit('10.0.0.1');
    expect(limiter.admit('10.0.0.1')).toEqual({ ok: false, reason: 'concurrency', retryAfterSeconds: 1 });
    if (!first.ok || !second.ok) throw new Error('admitted');
    first.release();
    first.release();
    expect(limiter.admit('10.0.0.1').ok).toBe(true);
    expect(limiter.admit('10.0.0.1').ok).toBe(false);
  });

  it('gives an IPv6 /64 one bucket, and an IPv4-mapped peer the bucket of its IPv4 address', () => {
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8:1:2:bbbb::2')).toBe('2001:db8:1:2::/64');
    expect(sourceKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
    const limiter = new SourceLimiter({ burst: 2, perMinute: 1, concurrent: 10 }, () => 0);
    expect(limiter.admit('2001:db8:1:2::1').ok).toBe(true);
    expect(limiter.admit('2001:db8:1:2::2').ok).toBe(true);
    expect(limiter.admit('2001:db8:1:2::3').ok).toBe(false);
    expect(limiter.admit('2001:db8:1:3::1').ok).toBe(true);
  });
});

describe('AccessLimiter', () => {
  it('keeps one budget per way in and source, and says why it refuses', () => {
    const limiter = new AccessLimiter(() => 0);
    for (let i = 0; i < 20; i += 1) {
      const admission = limiter.admit('login', '10.0.0.9');
      if (admission.ok) admission.release();
      else throw new Error(admission.message);
    }
    expect(limiter.admit('login', '10.0.0.9')).toEqual({ ok: false, retryAfterSeconds: 3, message: 'Too many login attempts from 10.0.0.9; try again in 3 s.' });
    expect(limiter.admit('hostKey', '10.0.0.9').ok).toBe(true);
    expect(limiter.admit('login', '10.0.0.10').ok).toBe(true);
  });
});
