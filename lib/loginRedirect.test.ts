import { describe, expect, it } from 'vitest';
import { loginRedirectTarget } from './loginRedirect';

const ORIGIN = 'http://127.0.0.1:3000';

describe('loginRedirectTarget', () => {
  it('keeps paths of the console, with their query and fragment', () => {
    expect(loginRedirectTarget('/administration/software-management/software-upgrade', ORIGIN)).toBe('/administration/software-management/software-upgrade');
    expect(loginRedirectTarget('/a?b=1#c', ORIGIN)).toBe('/a?b=1#c');
    expect(loginRedirectTarget('/a/../b/./c', ORIGIN)).toBe('/b/c');
    expect(loginRedirectTarget('/a?next=//evil.example', ORIGIN)).toBe('/a?next=//evil.example');
    expect(loginRedirectTarget(null, ORIGIN)).toBe('/');
  });

  it('sends every other origin home, including the spellings a browser turns into another host', () => {
    for (const next of [
      '/\\127.0.0.1:4444/pwned',
      '/\t/127.0.0.1:4444/pwned',
      '/\n/127.0.0.1:4444/pwned',
      '//127.0.0.1:4444/pwned',
      '\\\\evil.example/x',
      'http://127.0.0.1:4444/',
      'javascript:alert(1)',
      'https://127.0.0.1:3000/',
    ]) {
      expect(loginRedirectTarget(next, ORIGIN), JSON.stringify(next)).toBe('/');
    }
  });

  it('sends home a path whose dot segments resolve to a scheme-relative URL (//host), which the browser would follow off the console', () => {
    const hostile = [
      '/.//evil.example/phish',
      '/x/..//evil.example',
      '/%2e//evil.example',
      '/%2E//evil.example',
      '/%2e%2e//evil.example',
      '/..//evil.example',
      '/a/b/../..//evil.example',
      '/a/%2e%2e//evil.example',
      '/./\\evil.example',
      '/.\\/evil.example',
      '/%2e/\\evil.example',
      '/.//\tevil.example',
      '/./\n/evil.example',
      '/.///evil.example',
      '/x/..//evil.example?x=1#y',
    ];
    for (const next of hostile) expect(loginRedirectTarget(next, ORIGIN), JSON.stringify(next)).toBe('/');
  });
});
