import { englishOf } from '../../lib/serverSentences';
import { describe, expect, it } from 'vitest';
import type { CatalogCheckResult } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';
import { recomputeCheck } from './fleetCheck';

const ap = (name: string, imageType: string, primaryImage: string) => ({ name, mac: name, model: `model-${imageType}`, imageType, primaryImage }) as AccessPointRecord;

// The demo catalog's answer to a check made while the fleet ran 17.9.4.27.
const CHECKED: CatalogCheckResult = {
  checkedAt: '2026-12-06T07:00:00.000Z',
  catalogUrl: 'https://127.0.0.1:8443',
  imageTypes: [
    {
      imageType: 'ap1g7',
      models: ['model-ap1g7'],
      apCount: 1,
      runningVersion: '17.9.4.27',
      latest: { version: '17.18.1.2', size: 1 },
      recommended: { version: '17.12.1.5', size: 1 },
      note: null,
      noteSentence: null,
    },
    {
      imageType: 'ap3g3',
      models: ['model-ap3g3'],
      apCount: 1,
      runningVersion: '17.9.4.27',
      latest: { version: '17.12.1.5', size: 1 },
      recommended: { version: '17.12.1.5', size: 1 },
      note: null,
      noteSentence: null,
    },
  ],
  message: 'New version available: latest 17.18.1.2, 17.12.1.5, recommended 17.12.1.5, for 2 of 2 image types.',
  messageSentence: null,
  certificate: null,
  ok: true,
  fleetChanged: null,
  fleetChangedSentence: null,
};

describe('the last Check for New Version, read after the fleet changed', () => {
  it('is unchanged while the fleet runs what it ran at the check', () => {
    expect(recomputeCheck(CHECKED, [ap('A', 'ap1g7', '17.9.4.27'), ap('B', 'ap3g3', '17.9.4.27')])).toBe(CHECKED);
  });

  it('after 17.12.1.5 was installed: the types already on it say so, the others still have a newer release, and it says what changed', () => {
    const now = recomputeCheck(CHECKED, [ap('A', 'ap1g7', '17.12.1.5'), ap('B', 'ap3g3', '17.12.1.5')]);
    expect(now.imageTypes.map((row) => [row.imageType, row.runningVersion, row.note])).toEqual([
      ['ap1g7', '17.12.1.5', null],
      ['ap3g3', '17.12.1.5', 'Already running the latest release 17.12.1.5'],
    ]);
    expect(now.message).toBe('New version available: latest 17.18.1.2, 17.12.1.5, recommended 17.12.1.5, for 1 of 2 image types.');
    expect(now.fleetChanged).toBe(
      'The fleet changed since this check: ap1g7 runs 17.12.1.5 (was 17.9.4.27); ap3g3 runs 17.12.1.5 (was 17.9.4.27). Statuses are for what runs now; the releases are those the catalog offered at the check.',
    );
    // The same words, from the sentence the page says in its language.
    expect(englishOf(now.fleetChangedSentence!)).toBe(now.fleetChanged);
    expect(now.fleetChangedSentence).toEqual({
      code: 'fleetChanged',
      params: {
        changes: [
          { code: 'fleetTypeRuns', params: { imageType: 'ap1g7', version: '17.12.1.5', before: '17.9.4.27' } },
          { code: 'fleetTypeRuns', params: { imageType: 'ap3g3', version: '17.12.1.5', before: '17.9.4.27' } },
        ],
      },
    });
    expect(now.checkedAt).toBe(CHECKED.checkedAt);
  });

  it('does not pretend the catalog answered about an image type that joined after the check', () => {
    const now = recomputeCheck(CHECKED, [ap('A', 'ap1g7', '17.18.1.2'), ap('B', 'ap3g3', '17.12.1.5'), ap('C', 'ap1g4', '17.9.4.27')]);
    expect(now.imageTypes.find((row) => row.imageType === 'ap1g4')).toMatchObject({ latest: null, note: 'Joined after the last check: press Check for New Version' });
    expect(now.message).toBe('Already running the latest release for every image type.');
    expect(now.fleetChanged).toContain('ap1g4 joined');
    expect(englishOf(now.fleetChangedSentence!)).toBe(now.fleetChanged);
  });
});
