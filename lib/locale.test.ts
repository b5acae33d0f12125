import { describe, expect, it } from 'vitest';
import { negotiateLocale, resolveLocale } from './locale';

describe('negotiateLocale', () => {
  it('takes the best-rated language the console speaks', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(negotiateLocale('en;q=0.4, es-MX;q=0.9')).toBe('es');
  });

  it('reads any Chinese tag as zh-CN, the Chinese offered', () => {
    expect(negotiateLocale('zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(negotiateLocale('zh-Hans-CN')).toBe('zh-CN');
  });

  it('finds nothing in an empty, unknown, wildcard or refused list', () => {
    expect(negotiateLocale(undefined)).toBeNull();
    expect(negotiateLocale('')).toBeNull();
    expect(negotiateLocale('de, ja;q=0.5, *;q=0.1')).toBeNull();
    expect(negotiateLocale('fr;q=0')).toBeNull();
  });
});

describe('resolveLocale', () => {
  it('prefers the account, then the browser cookie, then Accept-Language, then English', () => {
    expect(resolveLocale({ account: 'zh-CN', cookie: 'fr', acceptLanguage: 'es' })).toBe('zh-CN');
    expect(resolveLocale({ cookie: 'fr', acceptLanguage: 'es' })).toBe('fr');
    expect(resolveLocale({ cookie: 'xx', acceptLanguage: 'es' })).toBe('es');
    expect(resolveLocale({})).toBe('en');
  });
});
