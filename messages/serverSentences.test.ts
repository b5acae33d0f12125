import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '@/lib/locale';
import { englishOf, renderSentence, sentence, sentenceItem, SERVER_SENTENCES, type Sentence, type SentenceCode } from '@/lib/serverSentences';
import { networkCompletedSentence } from '@/lib/upgradeOutcome';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import zhCN from './zh-CN.json';

const CATALOGUES: Record<Locale, typeof en> = { en, es, fr, 'zh-CN': zhCN };
const CODES = Object.keys(SERVER_SENTENCES) as SentenceCode[];

/** The page's way of saying a sentence: next-intl's translator over the language's catalogue. */
function pageText(locale: Locale, said: Sentence): string | null {
  const t = createTranslator({ locale, messages: CATALOGUES[locale], namespace: 'serverSentences' });
  return renderSentence(said, (code, params) => (t.has(code as never) ? t(code as never, params as never) : null));
}

/** Values for every argument of a template: counts where it selects a plural, text elsewhere. */
function sampleParams(elements: MessageFormatElement[], count: number, out: Record<string, string | number> = {}): Record<string, string | number> {
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      out[element.value] = count;
      for (const option of Object.values(element.options)) sampleParams(option.value, count, out);
    } else if (element.type === TYPE.argument && !(element.value in out)) {
      out[element.value] = element.value === 'others' ? '' : `<${element.value}>`;
    }
  }
  return out;
}

/** One sentence per code, with one, two and many (1234: written without grouping, as the server always wrote numbers). */
function samples(code: SentenceCode): Sentence[] {
  return [1, 2, 1234].map((count) => {
    const params: Sentence['params'] = sampleParams(parse(SERVER_SENTENCES[code]), count);
    if ('others' in params) params.others = [sentenceItem('stillRunsNotSupported', { count, version: '17.12.1.5' }), sentenceItem('stillRunsFailed', { count: 1, version: '17.9.4.27' })];
    for (const name of Object.keys(params)) if (typeof params[name] === 'string' && /count|failed|joined|waiting|running|total|id/.test(name)) params[name] = count;
    return sentence(code, params);
  });
}

describe('the sentences the server writes', () => {
  it('have the English catalogue entries word for word the templates the server writes with', () => {
    expect(en.serverSentences).toEqual(SERVER_SENTENCES);
  });

  it('read in English on the page exactly as the server wrote them, for every code', () => {
    for (const code of CODES) for (const said of samples(code)) expect(pageText('en', said), code).toBe(englishOf(said));
  });

  it('keep the English the server wrote before they had codes', () => {
    expect(englishOf(sentence('predownloadComplete', { version: '17.18.1.2', count: 6 }))).toBe('Predownload of 17.18.1.2 complete on 6 AP(s). Activate to reload the network.');
    expect(englishOf(sentence('predownloadFailedAps', { failed: 1234 }))).toBe('1234 AP(s) failed to predownload. Fix the cause shown in the log, then Save & Download again.');
    expect(englishOf(sentence('bundleVersionUnreadable', { reason: 'TFTP timeout' }))).toBe(
      "TFTP timeout. The bundle's version cannot be read: check the image server and path, then Save & Download again.",
    );
    expect(englishOf(sentence('reloadFailedAps', { failed: 1, version: '17.18.1.2' }))).toBe('1 AP(s) did not come back running 17.18.1.2');
  });

  for (const locale of LOCALES.filter((one) => one !== 'en')) {
    it(`are said in ${locale} for every code, in other words than English`, () => {
      for (const code of CODES) {
        for (const said of samples(code)) {
          const text = pageText(locale, said);
          expect(text, code).not.toBeNull();
          expect(text, code).not.toBe(englishOf(said));
        }
      }
    });
  }

  it('keep the English of the refusals and notes that were written before they had codes, and say them on the page', () => {
    expect(englishOf(sentence('upgradeBusy', { stage: 'AP Image Download' }))).toBe('An upgrade is already in progress (stage AP Image Download). Cancel it or wait for it to finish.');
    expect(englishOf(sentence('apNotFailed', { name: 'AP-1', status: 'Complete' }))).toBe('AP-1 has not failed (it is Complete).');
    expect(englishOf(sentence('pausedErrorThreshold', { failed: 1, size: 2, wave: 1, threshold: 0 }))).toBe('1 of 2 AP(s) of wave 1 failed, more than the error threshold of 0 %');
    const changed = sentence('fleetChanged', {
      changes: [sentenceItem('fleetTypeRuns', { imageType: 'ap1g7', version: '17.12.1.5', before: '17.9.4.27' }), sentenceItem('fleetTypeLeft', { imageType: 'ap3g3' })],
    });
    const english = 'The fleet changed since this check: ap1g7 runs 17.12.1.5 (was 17.9.4.27); ap3g3 left. Statuses are for what runs now; the releases are those the catalog offered at the check.';
    expect(englishOf(changed)).toBe(english);
    expect(pageText('en', changed)).toBe(english);
    expect(pageText('es', changed)).toMatch(/^La flota cambió desde esta comprobación: ap1g7 ejecuta 17\.12\.1\.5 \(antes 17\.9\.4\.27\); salió ap3g3\. /);
  });

  it('fall back to nothing (the page shows the English) for a code this version does not know', () => {
    expect(pageText('fr', { code: 'writtenByANewerVersion', params: {} })).toBeNull();
    const completed = networkCompletedSentence({ ...emptyCounts, total: 2, runningTarget: 1, notRunningTarget: [{ status: 'Failed', version: '17.9.4.27', count: 1 }] }, '17.18.1.2', '17.18.1.2');
    const unknownItem = { ...completed, params: { ...completed.params, others: [{ code: 'writtenByANewerVersion', params: {} }] } };
    expect(pageText('es', unknownItem)).toBeNull();
    expect(pageText('es', completed)).toBe('1 de 2 AP ejecuta 17.18.1.2; 1 fallido sigue ejecutando 17.9.4.27; el controlador ejecuta 17.18.1.2');
  });
});

const emptyCounts = { total: 0, initiated: 0, downloading: 0, predownloading: 0, complete: 0, failed: 0, notSupported: 0, aborted: 0, reloading: 0, joined: 0, runningTarget: 0, notRunningTarget: [] };
