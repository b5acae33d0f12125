import { describe, expect, it } from 'vitest';
import type { ApImageRow } from './apImage';
import { apImageFilter, apImagePageQuerySchema, apImageQuerySchema, compareApImageRows, CONTROLLER_LIST_QUERY } from './apImageQuery';

const row = (name: string, mac: string, overrides: Partial<ApImageRow> = {}): ApImageRow => ({
  name,
  mac,
  model: 'C9120AXI-B',
  imageType: 'ap1g7',
  role: 'Master',
  primaryImage: '17.9.4.27',
  backupImage: '17.3.3.26',
  backupImageSha256: null,
  controllerPrimaryImage: null,
  controllerBackupImage: null,
  predownloadStatus: 'Initiated',
  predownloadVersion: null,
  percent: 0,
  etaSeconds: null,
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
  ...overrides,
});

describe('AP table query', () => {
  it.each([
    ['', ['AP-LOBBY', 'AP-9117', 'ap-pod']],
    ['lobby', ['AP-LOBBY']],
    ['70f0.96a1', ['AP-9117']],
    ['70:F0:96:A1', ['AP-9117']],
    ['4e-20', ['AP-9117']],
    ['zz', []],
  ])('filters by AP name or MAC in any written form: %j', (q, names) => {
    const rows = [row('AP-LOBBY', '04eb.409e.1c30'), row('AP-9117', '70f0.96a1.4e20'), row('ap-pod', '2c5a.0f40.6920')];
    expect(rows.filter(apImageFilter({ q })).map((r) => r.name)).toEqual(names);
  });

  it('filters by status and image type together', () => {
    const rows = [row('a', '1', { predownloadStatus: 'Failed' }), row('b', '2', { predownloadStatus: 'Failed', imageType: 'ap1g8' }), row('c', '3')];
    expect(rows.filter(apImageFilter({ status: 'Failed', imageType: 'ap1g8' })).map((r) => r.name)).toEqual(['b']);
  });

  it('sorts numerically where it matters, either way, with name and MAC breaking ties', () => {
    const rows = [row('AP-10', 'c', { percent: 50 }), row('AP-9', 'b', { percent: 50 }), row('AP-100', 'a', { percent: 7.5 })];
    expect([...rows].sort(compareApImageRows('name')).map((r) => r.name)).toEqual(['AP-9', 'AP-10', 'AP-100']);
    expect([...rows].sort(compareApImageRows('-percent')).map((r) => r.name)).toEqual(['AP-9', 'AP-10', 'AP-100']);
    expect([...rows].sort(compareApImageRows('percent')).map((r) => r.name)).toEqual(['AP-100', 'AP-9', 'AP-10']);
  });

  it('orders MACs as the fixed-width hex they are, as the controller lists its APs', () => {
    const rows = [row('9105-emorenoa', '70f0.96a1.4e20'), row('AP-9117', '0cd0.f897.ade0'), row('AP-LOBBY-9115', '04eb.409e.1c30'), row('AP-POD-2-2', '2c5a.0f40.6920')];
    expect([...rows].sort(compareApImageRows(CONTROLLER_LIST_QUERY.sort)).map((r) => r.mac)).toEqual(['04eb.409e.1c30', '0cd0.f897.ade0', '2c5a.0f40.6920', '70f0.96a1.4e20']);
  });

  it('refuses what a query string must not carry', () => {
    for (const bad of [{ limit: 'true' }, { limit: '0x10' }, { offset: '-1' }, { sort: 'password' }, { status: 'Done' }, { q: 'x'.repeat(65) }]) {
      expect(apImageQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(apImageQuerySchema.parse({ limit: '25', offset: '50', sort: '-percent' })).toEqual({ limit: 25, offset: 50, sort: '-percent' });
    expect(apImageQuerySchema.parse({})).toEqual({ offset: 0, sort: 'name' });
    // The page's socket asks for one of the table's page sizes, never the whole fleet.
    expect(apImagePageQuerySchema.safeParse({ limit: 5000 }).success).toBe(false);
    expect(apImagePageQuerySchema.safeParse({ limit: 100 }).success).toBe(true);
  });
});
