import { describe, expect, it } from 'vitest';
import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from '../../lib/predownloadStatus';
import { FRESH_PREDOWNLOAD_STATE, type AccessPointRecord } from './accessPoint';
import { FleetProjection } from './fleetProjection';

function ap(mac: string, overrides: Partial<AccessPointRecord> = {}): AccessPointRecord {
  return {
    mac,
    name: `AP-${mac}`,
    model: 'C9120AXI-B',
    imageType: 'ap1g7',
    role: 'Master',
    primaryImage: '17.9.4.27',
    backupImage: '17.3.3.26',
    controllerPrimaryImage: null,
    controllerBackupImage: null,
    hostsController: false,
    freeSpaceKb: 400_000,
    lastSeenAt: '2026-11-30T00:00:00.000Z',
    siteTag: 'default-site-tag',
    neighbors: [],
    ...FRESH_PREDOWNLOAD_STATE,
    ...overrides,
  };
}

/** The counters a full scan would give: what the projection must always equal. */
function scanned(fleet: FleetProjection) {
  const records = [...fleet.values()];
  const by = (filter: (r: AccessPointRecord) => boolean) => records.filter(filter).length;
  return {
    status: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, by((r) => r.predownloadStatus === s)])),
    ofType: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, by((r) => r.imageType === 'ap1g8' && r.predownloadStatus === s)])),
    inUpgrade: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, by((r) => r.upgradeId === 7 && r.predownloadStatus === s)])),
    types: [...new Set(records.map((r) => r.imageType))].sort(),
  };
}

function counted(fleet: FleetProjection) {
  return {
    status: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, fleet.count(s)])),
    ofType: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, fleet.countOfType('ap1g8', s)])),
    inUpgrade: Object.fromEntries(PREDOWNLOAD_STATUSES.map((s) => [s, fleet.countInUpgrade(7, s)])),
    types: fleet.imageTypes().sort(),
  };
}

type Step = [description: string, apply: (fleet: FleetProjection) => void];

const STEPS: Step[] = [
  ['three APs join', (f) => ['a', 'b', 'c'].forEach((mac) => f.put(ap(mac)))],
  ['one of another image type joins', (f) => f.put(ap('d', { imageType: 'ap1g8' }))],
  ['all are enrolled in upgrade 7', (f) => ['a', 'b', 'c', 'd'].forEach((mac) => f.put({ ...f.get(mac)!, predownloadStatus: 'Initiated', upgradeId: 7 }))],
  ['two start downloading', (f) => ['a', 'd'].forEach((mac) => f.put({ ...f.get(mac)!, predownloadStatus: 'Predownloading' }))],
  [
    'one completes, one fails',
    (f) => {
      f.put({ ...f.get('a')!, predownloadStatus: 'Complete' });
      f.put({ ...f.get('d')!, predownloadStatus: 'Failed' });
    },
  ],
  ['an AP changes image type on rejoin', (f) => f.put({ ...f.get('b')!, imageType: 'ap1g8' })],
  ['a new upgrade takes one AP', (f) => f.put({ ...f.get('c')!, upgradeId: 8, predownloadStatus: 'Initiated' })],
  ['an AP is removed', (f) => f.remove('d')],
  ['the last ap1g8 AP goes back to ap1g7', (f) => f.put({ ...f.get('b')!, imageType: 'ap1g7' })],
];

describe('fleet projection', () => {
  it.each(STEPS.map((_, i) => [STEPS[i][0], i] as const))('keeps every counter equal to a full scan after: %s', (_, upTo) => {
    const fleet = new FleetProjection();
    for (const [, apply] of STEPS.slice(0, upTo + 1)) apply(fleet);
    expect(counted(fleet)).toEqual(scanned(fleet));
  });

  it('keeps the name order, rebuilt only when names change', () => {
    const fleet = new FleetProjection();
    fleet.put(ap('m2', { name: 'AP-10' }));
    fleet.put(ap('m1', { name: 'AP-9' }));
    fleet.put(ap('m3', { name: 'AP-10' }));
    expect(fleet.macsByName()).toEqual(['m1', 'm2', 'm3']);
    const order = fleet.macsByName();
    fleet.put({ ...fleet.get('m1')!, predownloadStatus: 'Initiated' as PredownloadStatus });
    expect(fleet.macsByName()).toBe(order);
    fleet.put({ ...fleet.get('m1')!, name: 'AP-11' });
    expect(fleet.macsByName()).toEqual(['m2', 'm3', 'm1']);
  });
});
