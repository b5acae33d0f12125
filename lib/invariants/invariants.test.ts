import { describe, expect, it } from 'vitest';
import type { ApImageRow, ApImageSummary } from '../apImage';
import type { UpgradeHistoryEntry } from '../upgradeHistory';
import type { UpgradeView } from '../upgradeStage';
import {
  claimsSignatureVerified,
  countersAddUp,
  fieldsNamedBy,
  historyAgrees,
  predownloadInProgressIsTrue,
  profileFields,
  profileFieldsNamed,
  retriesAgreeWithLog,
  runningClaimsAreTrue,
  surfacesAgree,
  verifyClaimsAreTrue,
  type SurfaceRow,
  type SurfaceView,
} from '.';

const ZERO: ApImageSummary = {
  totalAps: 0, initiated: 0, downloading: 0, predownloading: 0, completedDownloading: 0, completedPredownloading: 0, notSupported: 0, failedToPredownload: 0, predownloadInProgress: false,
};
const row = (name: string, extra: Partial<SurfaceRow> = {}): SurfaceRow => ({
  name, primaryImage: '17.9.4.27', backupImage: '17.12.1.5', predownloadStatus: 'Complete', predownloadVersion: '17.12.1.5', retryCount: 0, nextRetrySeconds: 0, method: 'CAPWAP', ...extra,
});
const surface = (summary: Partial<ApImageSummary>, rows: SurfaceRow[], name = 'GET /api/ap-image'): SurfaceView => ({ surface: name, summary: { ...ZERO, ...summary }, rows });
const line = (id: number, text: string) => ({ id, time: `2026-01-01T00:00:0${id}Z`, severity: 'notice' as const, facility: 'X', text });

describe('countersAddUp', () => {
  it('holds when every AP is counted once and the counters match the rows', () => {
    const rows = [row('A'), row('B', { predownloadStatus: 'Predownloading' }), row('C', { predownloadStatus: 'None' })];
    expect(countersAddUp(surface({ totalAps: 3, completedPredownloading: 1, predownloading: 1 }, rows))).toEqual([]);
  });

  it('says which counters count an AP twice', () => {
    const rows = [row('A', { predownloadStatus: 'Predownloading' }), row('B', { predownloadStatus: 'Initiated' })];
    const found = countersAddUp(surface({ totalAps: 2, initiated: 1, predownloading: 1, completedDownloading: 1 }, rows, 'show ap image'));
    expect(found.map((v) => v.message)).toEqual([
      'show ap image: the counters (initiated 1 + predownloading 1 + completedDownloading 1) plus 0 AP(s) in None/Aborted/Reloading/Joined make 3, not Total number of APs 2',
    ]);
  });

  it('says when a counter is not its rows', () => {
    expect(countersAddUp(surface({ totalAps: 1, failedToPredownload: 1 }, [row('A', { predownloadStatus: 'Aborted' })])).map((v) => v.message)).toContain(
      'GET /api/ap-image: failedToPredownload is 1 but 0 row(s) are Failed',
    );
  });
});

describe('predownloadInProgress', () => {
  it('is Yes exactly at the stages a predownload runs in', () => {
    expect(predownloadInProgressIsTrue(surface({ predownloadInProgress: true }, []), 'APImageDownload')).toEqual([]);
    expect(predownloadInProgressIsTrue(surface({ predownloadInProgress: false }, []), 'Activate')).toEqual([]);
    expect(predownloadInProgressIsTrue(surface({ predownloadInProgress: false }, [], 'show ap image'), 'Initiate')[0].message).toBe(
      'show ap image: Predownload in progress is No while the upgrade is at Initiate',
    );
  });
});

describe('surfacesAgree', () => {
  it('compares counters and rows field by field, allowing a second of retry countdown', () => {
    const api = surface({ totalAps: 1 }, [row('A', { nextRetrySeconds: 5 })]);
    expect(surfacesAgree(api, surface({ totalAps: 1 }, [row('A', { nextRetrySeconds: 4 })], 'show ap image'))).toEqual([]);
    const found = surfacesAgree(api, surface({ totalAps: 1 }, [row('A', { retryCount: 1, nextRetrySeconds: 5 })], 'the page'));
    expect(found.map((v) => v.message)).toEqual(['A retryCount: GET /api/ap-image says 0, the page says 1']);
    expect(surfacesAgree(api, surface({ totalAps: 1 }, [], 'the page')).map((v) => v.message)).toEqual(['A: listed by GET /api/ap-image, missing from the page']);
  });

  it('holds a failed row to the retry its last failure line announced', () => {
    const failed = { name: 'A', predownloadStatus: 'Failed' as const, retryCount: 0, nextRetryTime: '2026-01-01T00:01:00.000Z' };
    const announced = line(1, 'Chassis 1 R0/0: wncd: AP Event: AP Name: A Mac: 0a00.0000.0001 Image Predownload Failed: Timed out (retry 1 of 3 at 2026-01-01T00:01:00.000Z)');
    expect(retriesAgreeWithLog([failed], [announced])).toEqual([]);
    expect(retriesAgreeWithLog([{ ...failed, retryCount: 1 }], [announced])[0].message).toContain('its last failure line says retry 1 at');
  });
});

describe('profileFieldsNamed', () => {
  const view = (mode: string, extra: object = {}) => ({
    mode, imageServer: '10.0.0.5', imagePath: '/EWC', port: 69, parallelMode: false,
    sftp: { username: 'calo', passwordType: 'UNENCRYPTED', hasPassword: true, authMethod: 'password', hasPrivateKey: false, hostKeyFingerprint: null },
    cco: { catalogUrl: 'https://127.0.0.1:8643', username: 'ewc-demo', hasPassword: true, release: 'latest' }, ...extra,
  });

  it('files the server fields under the mode that shows them, and secrets as stored or not', () => {
    const fields = profileFields(view('TFTP'));
    expect(fields['tftp.imageServer']).toBe('"10.0.0.5"');
    expect(fields['sftp.imageServer']).toBeUndefined();
    expect(fields['sftp.password']).toBe('true');
    expect(profileFields(view('CCO'))['tftp.imageServer']).toBeUndefined();
  });

  it('names what a save body carries; an empty secret names nothing', () => {
    const named = fieldsNamedBy({ mode: 'SFTP', imageServer: '10.0.0.6', imagePath: 'p', port: 22, parallelMode: true, sftp: { username: 'calo', password: '' }, cco: { catalogUrl: '' } });
    expect([...named].sort()).toEqual(['cco.catalogUrl', 'mode', 'parallelMode', 'sftp.imagePath', 'sftp.imageServer', 'sftp.port', 'sftp.username']);
  });

  it('finds a field that changed with no save naming it', () => {
    const known = profileFields(view('TFTP'));
    const after = profileFields(view('TFTP', { cco: { catalogUrl: '', username: 'ewc-demo', hasPassword: true, release: 'latest' } }));
    expect(profileFieldsNamed(known, after, new Set(['tftp.imageServer'])).map((v) => v.message)).toEqual([
      'the profile: cco.catalogUrl changed from "https://127.0.0.1:8643" to "", but no save named it',
    ]);
    expect(profileFieldsNamed(known, after, new Set(['cco.catalogUrl']))).toEqual([]);
  });

  it('lets a trusted host key follow the server it belongs to', () => {
    const known = profileFields(view('SFTP', { sftp: { hostKeyFingerprint: 'SHA256:x' } }));
    const after = profileFields(view('SFTP', { imageServer: '10.0.0.9', sftp: { hostKeyFingerprint: null } }));
    expect(profileFieldsNamed(known, after, new Set(['sftp.imageServer']))).toEqual([]);
    expect(profileFieldsNamed(known, after, new Set(['tftp.imageServer']))).toHaveLength(2);
  });
});

const entry = (id: number, stage: UpgradeHistoryEntry['stage'], extra: Partial<UpgradeHistoryEntry> = {}): UpgradeHistoryEntry => ({
  id, startedBy: 'admin', startedVia: 'page', stage, mode: 'TFTP', imageUrl: 'tftp://x', targets: 'every AP', targetVersion: '17.12.1.5', targetControllerVersion: null,
  strategy: null, activatedBy: null, startedAt: '2026-01-01T00:00:00Z', finishedAt: ['Completed', 'Failed', 'Cancelled'].includes(stage) ? '2026-01-01T00:01:00Z' : null,
  durationSeconds: null, message: null, waveCount: 0, failedAps: 0, ...extra,
});
const view = (newest: UpgradeHistoryEntry, extra: Partial<UpgradeView> = {}) =>
  ({ upgradeId: newest.id, stage: newest.stage, finishedAt: newest.finishedAt, targetVersion: newest.targetVersion, message: newest.message, controllerVersion: '17.12.01.0.5', ...extra }) as UpgradeView;
const member = (name: string, upgradeId: number, predownloadStatus: ApImageRow['predownloadStatus'], primaryImage = '17.9.4.27') => ({ name, upgradeId, predownloadStatus, primaryImage, activationExcluded: false });

describe('historyAgrees', () => {
  it('holds for an ended upgrade whose failed count is its failed rows', () => {
    const newest = entry(2, 'Failed', { failedAps: 1 });
    const facts = { entries: [newest, entry(1, 'Completed')], upgrade: view(newest), members: [member('A', 2, 'Failed'), member('B', 1, 'Failed')], failedWhenCancelled: null };
    expect(historyAgrees(facts)).toEqual([]);
  });

  it('finds a replaced upgrade with no end, and a failed count of 0', () => {
    const newest = entry(2, 'Failed');
    const found = historyAgrees({ entries: [newest, entry(1, 'Activate')], upgrade: view(newest), members: [member('A', 2, 'Failed')], failedWhenCancelled: null });
    expect(found.map((v) => v.message)).toEqual([
      'Upgrade 1 (Activate) shows no end, although upgrade 2 replaced it',
      'upgrade 2 ended Failed with Failed APs 0, but 1 of its AP rows show Failed',
    ]);
  });

  it('counts a cancelled predownload by the APs that had failed when it was cancelled', () => {
    const newest = entry(1, 'Cancelled');
    expect(historyAgrees({ entries: [newest], upgrade: view(newest), members: [member('A', 1, 'Aborted')], failedWhenCancelled: 1 })[0].message).toContain('1 of its AP rows had failed when it was cancelled');
  });
});

describe('runningClaims', () => {
  const apRow = (name: string, extra: Partial<ApImageRow>) => ({ name, predownloadStatus: 'Joined', primaryImage: '17.12.1.5', backupImage: '17.9.4.27', predownloadVersion: '17.12.1.5', ...extra }) as ApImageRow;

  it('holds Completed and "Network running X" to every AP of the upgrade', () => {
    const upgrade = view(entry(1, 'Completed', { message: 'Network running 17.12.1.5; controller running 17.12.01.0.5' }));
    const members = [member('A', 1, 'Joined', '17.12.1.5'), member('B', 1, 'NotSupported')];
    expect(runningClaimsAreTrue({ upgrade, rows: [], members, aps: [] }).map((v) => v.message)).toEqual([
      'upgrade 1 says Completed (17.12.1.5) but B runs 17.9.4.27',
      'upgrade 1 says "Network running 17.12.1.5" but B runs 17.9.4.27',
    ]);
  });

  it("holds a row at rest to the AP's own images", () => {
    const upgrade = view(entry(1, 'Activate'));
    const rows = [apRow('A', { predownloadStatus: 'Complete', primaryImage: '17.9.4.27', backupImage: '17.12.1.5' })];
    expect(runningClaimsAreTrue({ upgrade, rows, members: [], aps: [{ name: 'A', primaryVersion: '17.9.4.27', backupVersion: '17.12.1.5' }] })).toEqual([]);
    expect(runningClaimsAreTrue({ upgrade, rows, members: [], aps: [{ name: 'A', primaryVersion: '17.9.4.27', backupVersion: '17.3.3.26' }] })).toHaveLength(1);
  });
});

describe('verifyClaims', () => {
  const bundles = [
    { url: 'tftp://h/signed', version: '17.12.1.5', signed: true },
    { url: 'tftp://h/unsigned', version: '17.13.1.1', signed: false },
  ];

  it('tells a signature check from a SHA-256 one', () => {
    expect(claimsSignatureVerified("AP-1: status 'Image signing verify success.'")).toBe(true);
    expect(claimsSignatureVerified("AP-1: status 'Image verify success (SHA-256 only: the bundle is not signed).'")).toBe(false);
  });

  it('finds "verify success" said of an unsigned bundle, by the version a line names or the upgrade it was logged in', () => {
    const lines = [
      line(1, 'Chassis 1 R0/0: install_engine: Started install add tftp://h/unsigned/version.info'),
      line(2, "AP-1: status 'Image signing verify success.' (staged before)"),
      line(3, 'AP Name: AP-1 Mac: m Image Predownload Success: 17.12.1.5, Image signing verify success'),
      line(4, 'AP Name: AP-1 Mac: m Image Predownload Success: 17.13.1.1, Image signing verify success'),
    ];
    expect(verifyClaimsAreTrue(lines, bundles).map((v) => v.message)).toEqual([
      `"AP-1: status 'Image signing verify success.' (staged before)" (2026-01-01T00:00:02Z), but no vendor signed tftp://h/unsigned (17.13.1.1)`,
      '"AP Name: AP-1 Mac: m Image Predownload Success: 17.13.1.1, Image signing verify success" (2026-01-01T00:00:04Z), but no vendor signed tftp://h/unsigned (17.13.1.1)',
    ]);
  });
});
