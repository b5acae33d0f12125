import { describe, expect, it } from 'vitest';
import { seedShowApImage } from '../sim/testing/seedText';
import { parseShowApImage } from './showApImageText';

describe("the model's reading of show ap image", () => {
  it("reads the seed's own block: its counters, and each AP's row", () => {
    const view = parseShowApImage(seedShowApImage(), Date.now());
    expect(view.summary).toMatchObject({ totalAps: 3, initiated: 0, completedPredownloading: 3, failedToPredownload: 0, predownloadInProgress: false });
    expect(view.rows.map((row) => row.name)).toEqual(['AP-POD-2-2', 'AP6C41.0E16.E79C', '9105-emorenoa']);
    expect(view.rows[0]).toEqual({
      name: 'AP-POD-2-2',
      primaryImage: '17.9.4.27',
      backupImage: '17.12.1.5',
      predownloadStatus: 'Complete',
      predownloadVersion: '17.12.1.5',
      retryCount: 0,
      nextRetrySeconds: 0,
      method: 'CAPWAP',
    });
  });
});
