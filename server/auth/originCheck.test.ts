import { describe, expect, it } from 'vitest';
import { checkOrigin, isSameOrigin } from './originCheck';

const host = { host: '127.0.0.1:3000' };

describe('isSameOrigin', () => {
  it('accepts a POST from the console itself', () => {
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://127.0.0.1:3000' } }, [])).toBe(true);
  });

  it('accepts the https form of the own origin (behind a TLS terminator)', () => {
    expect(isSameOrigin({ method: 'PUT', headers: { host: 'ewc.example.net', origin: 'https://ewc.example.net' } }, [])).toBe(true);
  });

  it('refuses a foreign Origin, a different port, and the opaque "null" origin', () => {
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://evil.example' } }, [])).toBe(false);
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://127.0.0.1:3001' } }, [])).toBe(false);
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'null' } }, [])).toBe(false);
  });

  it('refuses a state-changing request with neither Origin nor Referer', () => {
    expect(checkOrigin({ method: 'DELETE', headers: host })).toEqual({ ok: false, reason: 'neither Origin nor Referer present' });
  });

  it('falls back to Referer when Origin is absent', () => {
    expect(isSameOrigin({ method: 'POST', headers: { ...host, referer: 'http://127.0.0.1:3000/software-upgrade?x=1' } }, [])).toBe(true);
    expect(isSameOrigin({ method: 'POST', headers: { ...host, referer: 'http://evil.example/127.0.0.1:3000' } }, [])).toBe(false);
  });

  it('prefers Origin over Referer', () => {
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://evil.example', referer: 'http://127.0.0.1:3000/' } }, [])).toBe(false);
  });

  it('always lets GET and HEAD through', () => {
    expect(isSameOrigin({ method: 'GET', headers: {} }, [])).toBe(true);
    expect(isSameOrigin({ method: 'head', headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } }, [])).toBe(true);
  });

  it('refuses Sec-Fetch-Site: cross-site even when the Origin looks right', () => {
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'cross-site' } }, [])).toBe(false);
    expect(isSameOrigin({ method: 'POST', headers: { ...host, origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' } }, [])).toBe(true);
  });

  it('accepts configured extra origins and the request URL origin', () => {
    const headers = { host: '127.0.0.1:3000', origin: 'https://console.example.net' };
    expect(isSameOrigin({ method: 'POST', headers }, [])).toBe(false);
    expect(isSameOrigin({ method: 'POST', headers }, ['https://console.example.net/'])).toBe(true);
    expect(isSameOrigin({ method: 'POST', headers: { origin: 'http://localhost:3000' }, url: 'http://localhost:3000/api/profile' }, [])).toBe(true);
  });

  it('reads a Fetch API Headers object and mixed-case record keys', () => {
    const headers = new Headers({ Host: '127.0.0.1:3000', Origin: 'http://127.0.0.1:3000' });
    expect(isSameOrigin({ method: 'POST', headers }, [])).toBe(true);
    expect(isSameOrigin({ method: 'POST', headers: { Host: '127.0.0.1:3000', Origin: 'http://127.0.0.1:3000' } }, [])).toBe(true);
    expect(isSameOrigin({ method: 'POST', headers: new Headers({ Host: '127.0.0.1:3000' }) }, [])).toBe(false);
  });

  it('does not take a Host with a path or credentials as the own origin', () => {
    expect(isSameOrigin({ method: 'POST', headers: { host: 'evil.example/x', origin: 'http://evil.example' } }, [])).toBe(false);
    expect(isSameOrigin({ method: 'POST', headers: { host: 'a@evil.example', origin: 'http://evil.example' } }, [])).toBe(false);
  });
});
