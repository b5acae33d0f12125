import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '@/lib/locale';
import { AUTH_REFUSALS, type AuthRefusalCode } from '@/lib/validations/authRefusals';
import { FIELD_MESSAGES } from '@/lib/validations/fieldMessages';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import zhCN from './zh-CN.json';

const CATALOGUES: Record<Locale, unknown> = { en, es, fr, 'zh-CN': zhCN };

/** Every message of a catalogue by its dotted key (`apTable.caption`). */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * The argument names and rich-text tags a message uses, whatever the order or plural branch. A plural
 * counts as its argument: Chinese has no plural forms and writes `{count}` where English needs one.
 */
function placeholders(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        found.add(element.value);
        break;
      case TYPE.plural:
      case TYPE.select:
        found.add(element.value);
        for (const option of Object.values(element.options)) placeholders(option.value, found);
        break;
      case TYPE.tag:
        found.add(`<${element.value}>`);
        placeholders(element.children, found);
        break;
      default:
        break;
    }
  }
  return found;
}

const english = flatten(en);

describe('message catalogues', () => {
  for (const locale of LOCALES) {
    const messages = flatten(CATALOGUES[locale]);

    it(`${locale} has exactly the English catalogue's keys`, () => {
      expect([...messages.keys()].filter((key) => !english.has(key))).toEqual([]);
      expect([...english.keys()].filter((key) => !messages.has(key))).toEqual([]);
    });

    it(`${locale} uses the same ICU arguments and tags as English in every message`, () => {
      const differing = [...english].flatMap(([key, source]) => {
        const translated = messages.get(key);
        if (translated === undefined) return [];
        const want = [...placeholders(parse(source))].sort();
        const got = [...placeholders(parse(translated))].sort();
        return JSON.stringify(want) === JSON.stringify(got) ? [] : [{ key, want, got }];
      });
      expect(differing).toEqual([]);
    });

    it(`${locale} messages format with their language's plural rules`, () => {
      for (const [key, message] of messages) {
        expect(() => new IntlMessageFormat(message, locale, undefined, { ignoreTag: false }), key).not.toThrow();
      }
    });

    it(`${locale} quotes no argument: in ICU an apostrophe before { makes the rest literal text (write '' for one)`, () => {
      expect([...messages].filter(([, message]) => /(^|[^'])'[{}#]/.test(message)).map(([key]) => key)).toEqual([]);
    });

    it(`${locale} has no empty message`, () => {
      expect([...messages].filter(([, message]) => message.trim() === '').map(([key]) => key)).toEqual([]);
    });
  }

  it('has one field error per stable code of the shared schemas, the English one word for word', () => {
    expect(en.fieldErrors).toEqual(FIELD_MESSAGES);
  });

  it('has one refusal per stable code of the account API, the English one word for word', () => {
    expect(Object.keys(en.users.refusals).sort()).toEqual(Object.keys(AUTH_REFUSALS).sort());
    for (const [code, message] of Object.entries(en.users.refusals)) {
      expect(new IntlMessageFormat(message, 'en').format({ username: 'noc' }), code).toBe(AUTH_REFUSALS[code as AuthRefusalCode]('noc'));
    }
  });
});
