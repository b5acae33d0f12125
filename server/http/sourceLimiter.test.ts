import { describe, expect, it } from 'vitest';
import { SourceLimiter } from './sourceLimiter';

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
});
