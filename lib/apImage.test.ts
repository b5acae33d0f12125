import { describe, expect, it } from 'vitest';
import { apImageCounterOf, AP_IMAGE_COUNTERS, countedAps, predownloadVersionText, summarizeApImage } from './apImage';
import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from './predownloadStatus';

describe('the status counters of show ap image, the page and the API', () => {
  it('count every status in exactly one counter, so they add up to the total', () => {
    const counts: Record<PredownloadStatus, number> = { None: 1, Initiated: 2, Downloading: 5, Predownloading: 3, Complete: 4, Failed: 1, NotSupported: 2, Aborted: 1, Reloading: 1, Joined: 2 };
    const totalAps = Object.values(counts).reduce((a, b) => a + b, 0);
    const summary = summarizeApImage({ totalAps, count: (status) => counts[status], downloadingWithImage: 3, predownloadRunning: true });
    expect(countedAps(summary)).toBe(totalAps);
    // Of the five Downloading APs, three have their image on the controller and wait for a slot.
    expect(summary).toMatchObject({ downloading: 2, completedDownloading: 3, predownloading: 3, completedPredownloading: 4, none: 1, predownloadInProgress: true });
  });

  it('say where each AP is counted, one counter per status (two for Downloading, by where its image is)', () => {
    const keys = new Set(AP_IMAGE_COUNTERS.map(({ key }) => key));
    for (const status of PREDOWNLOAD_STATUSES) expect(keys.has(apImageCounterOf(status, false))).toBe(true);
    expect(apImageCounterOf('Downloading', true)).toBe('completedDownloading');
    expect(apImageCounterOf('Downloading', false)).toBe('downloading');
    expect(AP_IMAGE_COUNTERS.filter(({ ios }) => ios).map(({ label }) => label)).toEqual([
      'Initiated',
      'Downloading',
      'Predownloading',
      'Completed downloading',
      'Completed predownloading',
      'Not Supported',
      'Failed to Predownload',
    ]);
  });

  it('show an absent predownload version as IOS does', () => {
    expect(predownloadVersionText(null)).toBe('0.0.0.0');
    expect(predownloadVersionText('17.12.1.5')).toBe('17.12.1.5');
  });
});
