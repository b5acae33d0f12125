import { describe, expect, it } from 'vitest';
import { DEFAULT_AP_IMAGE_PAGE_QUERY } from '../../lib/apImageQuery';
import { renderShowApSummary } from '../cli/render/showApSummary';
import type { AccessPointRecord } from '../fleet/accessPoint';
import { FleetProjection } from '../fleet/fleetProjection';
import { imageKey } from '../orchestrator/imageKey';
import { TransferProgress } from '../orchestrator/transferProgress';
import { queryApImage } from './apImageView';

function storedAp(mac: string, name: string, imageType: string, hostsController = false): AccessPointRecord {
  return {
    mac,
    name,
    model: 'C9120AXI-B',
    imageType,
    // What an older console stored for every AP.
    role: 'Master',
    primaryImage: '17.9.4.27',
    backupImage: '17.3.3.26',
    backupImageSha256: null,
    controllerPrimaryImage: null,
    controllerBackupImage: null,
    hostsController,
    freeSpaceKb: 400_000,
    predownloadStatus: 'None',
    predownloadVersion: null,
    retryCount: 0,
    nextRetryTime: null,
    method: 'CAPWAP',
    lastError: null,
    upgradeId: null,
    lastSeenAt: '2026-11-30T00:00:00.000Z',
    siteTag: 'default-site-tag',
    neighbors: [],
    activationExcluded: false,
  };
}

describe('the Role column', () => {
  it('says NA for every AP, on the page, the API and show ap summary: no AP is a Master serving Slaves of its type', () => {
    const fleet = new FleetProjection();
    // Two APs of one image type: on the EWC one would be the Master and the other its Slave.
    for (const ap of [storedAp('00a2.eeb1.7f40', 'AP-LOBBY-9115', 'ap1g7'), storedAp('6c41.0e16.e79c', 'AP6C41.0E16.E79C', 'ap1g7'), storedAp('2c5a.0f40.6920', 'AP-POD-2-2', 'ap3g3')]) fleet.put(ap);
    const report = queryApImage(DEFAULT_AP_IMAGE_PAGE_QUERY, {
      fleet,
      progress: new TransferProgress(),
      isConnected: () => true,
      imageFetchedFor: () => false,
      queuePositions: () => new Map(),
      predownloadRunning: () => false,
    });
    expect(report.aps.map((row) => row.role)).toEqual(['NA', 'NA', 'NA']);
    const summary = renderShowApSummary(report);
    expect(summary.filter((line) => /[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}/.test(line)).map((line) => line.slice(84, 94).trim())).toEqual(['NA', 'NA', 'NA']);
    expect(summary.join('\n')).not.toContain('Master');
  });
});

describe('places in line', () => {
  it("says each image's own: the AP hosting the controller receives its AP image while its controller image waits for a slot", () => {
    const fleet = new FleetProjection();
    for (const ap of [storedAp('0a00.00ff.0001', 'AP-CONTROLLER', 'ap1g7', true), storedAp('2c5a.0f40.6920', 'AP-POD-2-2', 'ap3g3')]) fleet.put({ ...ap, predownloadStatus: 'Predownloading' });
    const progress = new TransferProgress();
    progress.start('0a00.00ff.0001', 'ap', 1000);
    progress.update('0a00.00ff.0001', 'ap', 400);
    const report = queryApImage(DEFAULT_AP_IMAGE_PAGE_QUERY, {
      fleet,
      progress,
      isConnected: () => true,
      imageFetchedFor: () => true,
      queuePositions: () =>
        new Map([
          [imageKey('controller', '0a00.00ff.0001'), 1],
          [imageKey('ap', '2c5a.0f40.6920'), 2],
        ]),
      predownloadRunning: () => true,
    });
    const [host, other] = report.aps;
    // Its AP image flows (40 %), not "Waiting for a slot"; its controller image is next in line.
    expect(host).toMatchObject({ name: 'AP-CONTROLLER', percent: 40, queuePosition: null, controllerQueuePosition: 1 });
    expect(other).toMatchObject({ name: 'AP-POD-2-2', queuePosition: 2, controllerQueuePosition: null });
  });
});
