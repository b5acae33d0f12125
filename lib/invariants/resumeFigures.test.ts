import { describe, expect, it } from 'vitest';
import type { ApImageRow } from '../apImage';
import { resumeFiguresAreTrue } from './resumeFigures';

const row = (overrides: Partial<ApImageRow> = {}): ApImageRow => ({
  name: 'AP-LOBBY',
  mac: '70f0.96a1.4e20',
  model: 'C9120AXI-B',
  imageType: 'ap1g7',
  role: 'NA',
  primaryImage: '17.9.4.27',
  backupImage: '17.3.3.26',
  backupImageSha256: null,
  controllerPrimaryImage: null,
  controllerBackupImage: null,
  predownloadStatus: 'Downloading',
  predownloadVersion: null,
  percent: 43,
  etaSeconds: null,
  waitsToResume: true,
  lastAcknowledged: true,
  controllerPercent: null,
  controllerEtaSeconds: null,
  controllerWaitsToResume: false,
  controllerLastAcknowledged: false,
  retryCount: 0,
  nextRetryTime: null,
  method: 'CAPWAP',
  hostsController: false,
  connected: false,
  lastError: null,
  queuePosition: null,
  controllerQueuePosition: null,
  siteTag: 'default-site-tag',
  activationExcluded: false,
  ...overrides,
});

describe('resumeFigures', () => {
  it('holds for the last acknowledged count of an AP not back yet, and for what a connected AP said it holds', () => {
    expect(resumeFiguresAreTrue([row(), row({ connected: true, lastAcknowledged: false }), row({ waitsToResume: false, lastAcknowledged: false, etaSeconds: 12 })])).toEqual([]);
  });

  it('finds the last acknowledged count shown for a connected AP, or as moving', () => {
    expect(resumeFiguresAreTrue([row({ connected: true })]).map((v) => v.message)).toEqual(['AP-LOBBY: its AP image shows the last acknowledged count (43%) though the AP is connected']);
    expect(resumeFiguresAreTrue([row({ waitsToResume: false })]).map((v) => v.message)).toEqual(['AP-LOBBY: its AP image shows the last acknowledged count (43%) as moving']);
  });

  it('finds a figure that waits with an ETA, or of an AP owed nothing, on either image', () => {
    const hosting = row({ hostsController: true, lastAcknowledged: false, connected: true, controllerPercent: 12, controllerWaitsToResume: true, controllerEtaSeconds: 30 });
    expect(resumeFiguresAreTrue([hosting]).map((v) => v.message)).toEqual(['AP-LOBBY: its controller image waits to resume at 12% with an ETA of 30 s']);
    expect(resumeFiguresAreTrue([row({ predownloadStatus: 'Complete' })]).map((v) => `[${v.invariant}] ${v.message}`)).toEqual([
      '[resumeFigures] AP-LOBBY: its AP image waits to resume at 43% but the AP is Complete',
    ]);
  });
});
