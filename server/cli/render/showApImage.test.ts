import { describe, expect, it } from 'vitest';
import type { ApImageRow, ApImageSummary } from '../../../lib/apImage';
import { renderShowApImage } from './showApImage';

// The seed's output (ewc-non-homogeneous-ap-upgrade.en.txt, after `9120-EWC#show ap image`), whose English copy lost the alignment spaces.
const SEED_OUTPUT = [
  'Total number of APs : 3',
  'Number of APs',
  'Initiated : 0',
  'Downloading : 0',
  'Predownloading : 0',
  'Completed downloading : 0',
  'Completed predownloading : 3',
  'Not Supported : 0',
  'Failed to Predownload : 0',
  'Predownload in progress : No',
  'AP Name Primary Image Backup Image Predownload Status Predownload Version Next Retry Time Retry Count Method',
  '------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  'AP-POD-2-2 17.9.4.27 17.12.1.5 Complete 17.12.1.5 0 0 CAPWAP',
  'AP6C41.0E16.E79C 17.9.4.27 17.12.1.5 Complete 17.12.1.5 0 0 CAPWAP',
  '9105-emorenoa 17.9.4.27 17.12.1.5 Complete 17.12.1.5 0 0 CAPWAP',
];

function completeRow(name: string, imageType: string): ApImageRow {
  return {
    name,
    mac: '0000.0000.0000',
    model: 'C9120AXI-B',
    imageType,
    role: 'Master',
    primaryImage: '17.9.4.27',
    backupImage: '17.12.1.5',
    backupImageSha256: null,
    predownloadStatus: 'Complete',
    predownloadVersion: '17.12.1.5',
    percent: 100,
    etaSeconds: 0,
    controllerPercent: null,
    controllerEtaSeconds: null,
    retryCount: 0,
    nextRetryTime: null,
    method: 'CAPWAP',
    hostsController: false,
    connected: true,
    lastError: null,
    queuePosition: null,
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

// The words, their order and the 162-dash rule are what the seed keeps.
const collapse = (line: string) => line.replace(/\s+/g, ' ').trim();

describe('show ap image', () => {
  const aps = [completeRow('AP-POD-2-2', 'ap3g3'), completeRow('AP6C41.0E16.E79C', 'ap1g7'), completeRow('9105-emorenoa', 'ap1g8')];
  const output = renderShowApImage({ summary: SUMMARY, aps, total: aps.length });

  it('prints the seed\'s output for its three APs, line for line', () => {
    expect(output.filter((l) => l.trim() !== '').map(collapse)).toEqual(SEED_OUTPUT);
  });

  it('aligns the table: each value starts under its column title', () => {
    const header = output.find((l) => l.startsWith('AP Name'))!;
    const row = output.find((l) => l.startsWith('AP6C41.0E16.E79C'))!;
    for (const [title, value] of [['Primary Image', '17.9.4.27'], ['Predownload Status', 'Complete'], ['Method', 'CAPWAP']]) {
      expect(row.indexOf(value)).toBe(header.indexOf(title));
    }
    expect(output[output.indexOf(header) + 1]).toBe('-'.repeat(162));
  });
});
