import { describe, expect, it } from 'vitest';
import type { ApImageRow, ApImageSummary } from '../../../lib/apImage';
import { seedShowApImage } from '../../sim/testing/seedText';
import { renderShowApImage } from './showApImage';

function completeRow(name: string, imageType: string): ApImageRow {
  return {
    name,
    mac: '0000.0000.0000',
    model: 'C9120AXI-B',
    imageType,
    role: 'NA',
    primaryImage: '17.9.4.27',
    backupImage: '17.12.1.5',
    backupImageSha256: null,
    controllerPrimaryImage: null,
    controllerBackupImage: null,
    predownloadStatus: 'Complete',
    predownloadVersion: '17.12.1.5',
    percent: 100,
    etaSeconds: 0,
    waitsToResume: false,
    lastAcknowledged: false,
    controllerPercent: null,
    controllerEtaSeconds: null,
    controllerWaitsToResume: false,
    controllerLastAcknowledged: false,
    retryCount: 0,
    nextRetryTime: null,
    method: 'CAPWAP',
    hostsController: false,
    connected: true,
    lastError: null,
    queuePosition: null,
    controllerQueuePosition: null,
    siteTag: 'default-site-tag',
    activationExcluded: false,
  };
}

/** The seed's counters: three APs, all Complete. */
const SUMMARY: ApImageSummary = {
  totalAps: 3,
  initiated: 0,
  downloading: 0,
  predownloading: 0,
  completedDownloading: 0,
  completedPredownloading: 3,
  notSupported: 0,
  failedToPredownload: 0,
  aborted: 0,
  reloading: 0,
  joined: 0,
  none: 0,
  predownloadInProgress: false,
};

describe('show ap image', () => {
  // The seed's three APs, in the order its controller lists them.
  const aps = [completeRow('AP-POD-2-2', 'ap3g3'), completeRow('AP6C41.0E16.E79C', 'ap1g7'), completeRow('9105-emorenoa', 'ap1g8')];

  it("prints the seed's block byte for byte: counters, blank lines and every column where IOS puts it", () => {
    // ewc-non-homogeneous-ap-upgrade.zh.txt, the copy that kept IOS's spacing; only trailing spaces are trimmed.
    expect(renderShowApImage({ summary: SUMMARY, aps, total: aps.length })).toEqual(seedShowApImage());
  });

  it('puts the counter colons at column 35 and the data columns at 0, 34, 57, 84, 106, 128, 146, 164', () => {
    const output = renderShowApImage({ summary: SUMMARY, aps, total: aps.length });
    for (const line of output.filter((l) => l.startsWith('        '))) expect(line.indexOf(':')).toBe(35);
    const row = output.find((l) => l.startsWith('AP6C41.0E16.E79C'))!;
    const starts = [...row.matchAll(/\S+/g)].map((match) => match.index);
    expect(starts).toEqual([0, 34, 57, 84, 106, 128, 146, 164]);
  });

  it('leaves one space after a value longer than its column, so the row still reads column by column', () => {
    const long = { ...completeRow('AP-WITH-A-NAME-LONGER-THAN-ITS-COLUMN', 'ap1g8'), predownloadStatus: 'NotSupported' as const };
    const output = renderShowApImage({ summary: { ...SUMMARY, totalAps: 1 }, aps: [long], total: 1 });
    expect(output.at(-1)).toBe(
      'AP-WITH-A-NAME-LONGER-THAN-ITS-COLUMN 17.9.4.27              17.12.1.5                  Not Supported         17.12.1.5             0                 0                 CAPWAP',
    );
  });
});
