import { describe, expect, it } from 'vitest';
import { clearSessionCookie, parseCookie, sessionCookie, sessionIdFromCookie } from './cookies';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/ with a Max-Age; over HTTPS it is Secure and named __Host-', () => {
    const plain = sessionCookie('abc-_123', { maxAgeSeconds: 86_400 });
    expect(plain).toBe('ewc_session=abc-_123; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400');
    expect(sessionCookie('abc', { maxAgeSeconds: 60, secure: true })).toBe('__Host-ewc_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
  });

  it('is cleared with an empty value and Max-Age=0, under the name it was set with', () => {
    expect(clearSessionCookie()).toBe('ewc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(clearSessionCookie({ secure: true })).toBe('__Host-ewc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });
});

describe('parseCookie', () => {
  it('reads name=value pairs, trimming, decoding and unquoting', () => {
    expect(parseCookie('a=1; b = two ;c="quoted"; d=%20x%3D')).toEqual({ a: '1', b: 'two', c: 'quoted', d: ' x=' });
  });

  it('keeps the first of repeated names and skips pieces without "="', () => {
    expect(parseCookie('ewc_session=first; junk; ewc_session=second')).toEqual({ ewc_session: 'first' });
  });

  it('survives bad encodings, empty headers and prototype names', () => {
    expect(parseCookie('x=%E0%A4%A')).toEqual({ x: '%E0%A4%A' });
    expect(parseCookie(undefined)).toEqual({});
    expect(parseCookie('')).toEqual({});
    const parsed = parseCookie('__proto__=1; constructor=2');
    expect(parsed['__proto__']).toBe('1');
    expect(parsed['constructor']).toBe('2');
    expect(({} as Record<string, unknown>)['__proto__']).toBe(Object.prototype);
  });

  it('finds the session id', () => {
    expect(sessionIdFromCookie('theme=dark; ewc_session=s3ss10n')).toBe('s3ss10n');
    expect(sessionIdFromCookie('theme=dark')).toBeNull();
    expect(sessionIdFromCookie('ewc_session=')).toBeNull();
  });

  it('reads over HTTPS only the __Host- cookie, which no plain-HTTP page can set, and over HTTP only the plain one', () => {
    // A man in the middle can plant `ewc_session` through any plain-HTTP answer for the host: HTTPS never takes it.
    expect(sessionIdFromCookie('ewc_session=planted', true)).toBeNull();
    expect(sessionIdFromCookie('ewc_session=planted; __Host-ewc_session=real', true)).toBe('real');
    expect(sessionIdFromCookie('__Host-ewc_session=real', false)).toBeNull();
  });
});
