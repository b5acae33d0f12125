import { describe, expect, it } from 'vitest';
import type { CatalogCheckResult } from '../../../lib/firmwareCatalog';
import { englishOf, sentence } from '../../../lib/serverSentences';
import { checkForNewVersion } from './checkForNewVersion';

const failed: CatalogCheckResult = {
  checkedAt: '2026-11-21T05:40:00.000Z',
  catalogUrl: 'https://127.0.0.1:9/catalog',
  imageTypes: [],
  message: englishOf(sentence('catalogNoUrl')),
  messageSentence: sentence('catalogNoUrl'),
  certificate: null,
  ok: false,
  fleetChanged: null,
  fleetChangedSentence: null,
};

describe('checkForNewVersion', () => {
  it('answers the check as it came out, a failed one too (its message says why), and never refuses', async () => {
    let runs = 0;
    const result = await checkForNewVersion({ checks: { check: async () => (runs++, failed) } });
    expect(result).toEqual({ ok: true, value: failed });
    expect(runs).toBe(1);
  });
});
