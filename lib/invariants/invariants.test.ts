import { describe, expect, it } from 'vitest';
import type { ApImageRow, ApImageSummary } from '../apImage';
import type { UpgradeHistoryEntry } from '../upgradeHistory';
import { countUpgradeAps, type UpgradeApCounts } from '../upgradeOutcome';
import type { UpgradeView } from '../upgradeStage';
import {
  claimsSignatureVerified,
  controllerVersionIsTrue,
  countersAddUp,
  fieldsChangedUnnamed,
  historyAgrees,
  namedFieldPaths,
  predownloadInProgressIsTrue,
  profileFieldsNamed,
  retriesAgreeWithLog,
  runningClaimsAreTrue,
  surfacesAgree,
  verifyClaimsAreTrue,
  type SurfaceRow,
  type SurfaceSummary,
  type SurfaceView,
} from '.';

const ZERO: ApImageSummary = {
  totalAps: 0,
  initiated: 0,
  downloading: 0,
  predownloading: 0,
  completedDownloading: 0,
  completedPredownloading: 0,
  notSupported: 0,
  failedToPredownload: 0,
  aborted: 0,
  reloading: 0,
  joined: 0,
  none: 0,
  predownloadInProgress: false,
};
const READ_AT = Date.parse('2026-01-01T00:00:00Z');
const row = (name: string, extra: Partial<SurfaceRow> = {}): SurfaceRow => ({
  name,
  primaryImage: '17.9.4.27',
  backupImage: '17.12.1.5',
  predownloadStatus: 'Complete',
  predownloadVersion: '17.12.1.5',
  retryCount: 0,
  nextRetryTime: null,
  method: 'CAPWAP',
  ...extra,
});
const surface = (summary: Partial<ApImageSummary>, rows: SurfaceRow[], name = 'GET /api/ap-image'): SurfaceView => ({ surface: name, readAt: READ_AT, summary: { ...ZERO, ...summary }, rows });
/** show ap image: IOS's counters only, the next retry in seconds. */
const cli = (summary: SurfaceSummary, rows: SurfaceRow[]): SurfaceView => ({ surface: 'show ap image', readAt: READ_AT, summary, rows });
const line = (id: number, text: string) => ({ id, time: `2026-01-01T00:00:0${id}Z`, severity: 'notice' as const, facility: 'X', text });

describe('countersAddUp', () => {
  it('holds when every AP is counted once and the counters match the rows', () => {
    const rows = [row('A'), row('B', { predownloadStatus: 'Predownloading' }), row('C', { predownloadStatus: 'None' })];
    expect(countersAddUp(surface({ totalAps: 3, completedPredownloading: 1, predownloading: 1, none: 1 }, rows))).toEqual([]);
  });

  it('holds show ap image to the counters it prints, the APs in other statuses counted by none', () => {
    const rows = [row('A'), row('B', { predownloadStatus: 'Joined' }), row('C', { predownloadStatus: 'None' })];
    const ios = {
      totalAps: 3,
      predownloadInProgress: false,
      initiated: 0,
      downloading: 0,
      predownloading: 0,
      completedDownloading: 0,
      completedPredownloading: 1,
      notSupported: 0,
      failedToPredownload: 0,
    };
    expect(countersAddUp(cli(ios, rows))).toEqual([]);
    expect(countersAddUp(cli({ ...ios, initiated: 1 }, rows)).map((v) => v.message)).toEqual([
      'show ap image: initiated is 1 but 0 row(s) are Initiated',
      'show ap image: the counters (initiated 1 + completedPredownloading 1) plus 2 AP(s) in a status it shows no counter of make 4, not Total number of APs 3',
    ]);
  });

  it('says which counters count an AP twice', () => {
    const rows = [row('A', { predownloadStatus: 'Predownloading' }), row('B', { predownloadStatus: 'Initiated' })];
    const found = countersAddUp(surface({ totalAps: 2, initiated: 1, predownloading: 1, joined: 1 }, rows, 'the page'));
    expect(found.map((v) => v.message)).toEqual([
      'the page: joined is 1 but 0 row(s) are Joined',
      'the page: the counters (initiated 1 + predownloading 1 + joined 1) make 3, not Total number of APs 2',
    ]);
  });

  it('holds Downloading and Completed downloading to the Downloading rows together', () => {
    const rows = [row('A', { predownloadStatus: 'Downloading' }), row('B', { predownloadStatus: 'Downloading' })];
    expect(countersAddUp(surface({ totalAps: 2, downloading: 1, completedDownloading: 1 }, rows))).toEqual([]);
    expect(countersAddUp(surface({ totalAps: 2, downloading: 1, completedDownloading: 0, predownloading: 1 }, rows)).map((v) => v.message)).toContain(
      'GET /api/ap-image: downloading + completedDownloading is 1 but 2 row(s) are Downloading',
    );
  });

  it('says when a counter is not its rows', () => {
    expect(countersAddUp(surface({ totalAps: 1, failedToPredownload: 1 }, [row('A', { predownloadStatus: 'Aborted' })])).map((v) => v.message)).toEqual([
      'GET /api/ap-image: failedToPredownload is 1 but 0 row(s) are Failed',
      'GET /api/ap-image: aborted is 0 but 1 row(s) are Aborted',
    ]);
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
  it('compares counters and rows field by field', () => {
    const api = surface({ totalAps: 1 }, [row('A', { nextRetryTime: '2026-01-01T00:00:05.000Z' })]);
    const found = surfacesAgree(api, surface({ totalAps: 1 }, [row('A', { retryCount: 1, nextRetryTime: '2026-01-01T00:00:05.000Z' })], 'the page'));
    expect(found.map((v) => v.message)).toEqual(['A retryCount: GET /api/ap-image says 0, the page says 1']);
    expect(surfacesAgree(api, surface({ totalAps: 1 }, [], 'the page')).map((v) => v.message)).toEqual(['A: listed by GET /api/ap-image, missing from the page']);
    expect(surfacesAgree(api, surface({ totalAps: 1, joined: 1 }, [row('A', { nextRetryTime: '2026-01-01T00:00:05.000Z' })], 'the page'))[0].message).toBe(
      'joined: GET /api/ap-image says 0, the page says 1',
    );
  });

  it("holds show ap image's seconds to the API's next retry time, by the column's definition", () => {
    const api = surface({ totalAps: 1 }, [row('A', { nextRetryTime: '2026-01-01T00:00:04.500Z' })]);
    const ios = { totalAps: 1, predownloadInProgress: false };
    const shown = (seconds: number) => surfacesAgree(api, cli(ios, [row('A', { nextRetryTime: undefined, nextRetrySeconds: seconds })]));
    expect(shown(5)).toEqual([]);
    expect(shown(4)).toEqual([]);
    // Milliseconds, or a retry that was due long ago, are not the seconds until it.
    expect(shown(4500)).toHaveLength(1);
    expect(shown(0)).toHaveLength(1);
    const none = surface({ totalAps: 1 }, [row('A')]);
    expect(surfacesAgree(none, cli(ios, [row('A', { nextRetryTime: undefined, nextRetrySeconds: 0 })]))).toEqual([]);
    expect(surfacesAgree(none, cli(ios, [row('A', { nextRetryTime: undefined, nextRetrySeconds: 30 })]))[0].message).toContain('A next retry (show ap image in seconds');
  });

  it('holds a failed row to the retry its last failure line announced', () => {
    const failed = { name: 'A', predownloadStatus: 'Failed' as const, retryCount: 1, nextRetryTime: '2026-01-01T00:01:00.000Z' };
    const announced = line(1, 'Chassis 1 R0/0: wncd: AP Event: AP Name: A Mac: 0a00.0000.0001 Image Predownload Failed: Timed out (retry 1 of 3 at 2026-01-01T00:01:00.000Z)');
    expect(retriesAgreeWithLog([failed], [announced])).toEqual([]);
    expect(retriesAgreeWithLog([{ ...failed, retryCount: 0 }], [announced])[0].message).toContain('its last failure line says retry 1 at');
  });
});

describe('profileFieldsNamed', () => {
  const view = (mode: string, extra: object = {}) => ({
    mode,
    imageServer: '10.0.0.5',
    imagePath: '/EWC',
    port: 69,
    parallelMode: false,
    tftp: { imageServer: '10.0.0.5', imagePath: '/EWC', port: 69 },
    sftp: {
      imageServer: '10.0.0.7',
      imagePath: 'EWC',
      port: 22,
      username: 'calo',
      passwordType: 'UNENCRYPTED',
      hasPassword: true,
      authMethod: 'password',
      hasPrivateKey: false,
      hostKeyFingerprint: null,
    },
    cco: { catalogUrl: 'https://127.0.0.1:8643', username: 'ewc-demo', hasPassword: true, release: 'latest' },
    ...extra,
  });

  it("names what a save body carries, the top-level server fields in the saved mode's slot; an empty secret names nothing", () => {
    const named = namedFieldPaths({ mode: 'SFTP', imageServer: '10.0.0.6', parallelMode: true, sftp: { username: 'calo', password: '', hostKeyFingerprint: '' }, cco: { catalogUrl: '' } }, 'TFTP');
    expect([...named].sort()).toEqual(['cco.catalogUrl', 'mode', 'parallelMode', 'sftp.imageServer', 'sftp.username']);
    expect([...namedFieldPaths({ port: 2222, tftp: { imagePath: '/x' } }, 'TFTP')].sort()).toEqual(['tftp.imagePath', 'tftp.port']);
    expect([...namedFieldPaths({ mode: 'CCO', imageServer: '10.0.0.6', cco: { password: 'key' } }, 'TFTP')].sort()).toEqual(['cco.password', 'mode']);
  });

  it('finds a field that changed with no save naming it', () => {
    const after = view('TFTP', { cco: { catalogUrl: '', username: 'ewc-demo', hasPassword: true, release: 'latest' } });
    expect(profileFieldsNamed(view('TFTP'), after, new Set(['tftp.imageServer'])).map((v) => v.message)).toEqual([
      'the profile: cco.catalogUrl changed from "https://127.0.0.1:8643" to "", but no save named it',
    ]);
    expect(profileFieldsNamed(view('TFTP'), after, new Set(['cco.catalogUrl']))).toEqual([]);
  });

  it("keeps one mode's server fields when the other mode's are named", () => {
    const after = view('TFTP', { tftp: { imageServer: '10.0.0.5', imagePath: '/EWC', port: 22 } });
    expect(fieldsChangedUnnamed(view('TFTP'), after, new Set(['sftp.port']))).toEqual(['tftp.port']);
    // What the view shows for the selected mode follows the mode.
    expect(fieldsChangedUnnamed(view('TFTP'), view('SFTP', { imageServer: '10.0.0.7', imagePath: 'EWC', port: 22 }), new Set(['mode']))).toEqual([]);
  });

  it('lets a trusted host key follow the server it belongs to, and a stored secret the secret', () => {
    const known = view('SFTP', { sftp: { ...view('SFTP').sftp, hostKeyFingerprint: 'SHA256:x' } });
    const after = view('SFTP', { sftp: { ...view('SFTP').sftp, imageServer: '10.0.0.9', hostKeyFingerprint: null, hasPassword: false } });
    expect(fieldsChangedUnnamed(known, after, new Set(['sftp.imageServer', 'sftp.password']))).toEqual([]);
    expect(fieldsChangedUnnamed(known, after, new Set(['tftp.imageServer'])).sort()).toEqual(['sftp.hasPassword', 'sftp.hostKeyFingerprint', 'sftp.imageServer']);
  });
});

// An upgrade with no APs, as the one counting rule starts it, plus what a case sets.
const counts = (extra: Partial<UpgradeApCounts> = {}): UpgradeApCounts => ({ ...countUpgradeAps([], { id: 0, targetVersion: null }), ...extra });
const ENDS = ['Completed', 'Failed', 'Cancelled', 'Superseded'];
const entry = (id: number, stage: UpgradeHistoryEntry['stage'], extra: Partial<UpgradeHistoryEntry> = {}): UpgradeHistoryEntry => ({
  id,
  startedBy: 'admin',
  startedVia: 'page',
  stage,
  result: stage,
  resultSentence: null,
  supersededBy: null,
  mode: 'TFTP',
  imageUrl: 'tftp://x',
  targets: 'every AP',
  targetVersion: '17.12.1.5',
  targetControllerVersion: null,
  strategy: null,
  activatedBy: null,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: ENDS.includes(stage) ? '2026-01-01T00:01:00Z' : null,
  durationSeconds: null,
  message: null,
  messageSentence: null,
  waveCount: 0,
  failedAps: 0,
  apCounts: null,
  ...extra,
});
const view = (newest: UpgradeHistoryEntry, extra: Partial<UpgradeView> = {}) =>
  ({
    upgradeId: newest.id,
    stage: newest.stage,
    finishedAt: newest.finishedAt,
    targetVersion: newest.targetVersion,
    message: newest.message,
    result: newest.result,
    controllerVersion: '17.12.01.0.5',
    ...extra,
  }) as UpgradeView;
const member = (name: string, upgradeId: number, predownloadStatus: ApImageRow['predownloadStatus'], primaryImage = '17.9.4.27') => ({ name, upgradeId, predownloadStatus, primaryImage });
const facts = (entries: UpgradeHistoryEntry[], members: ReturnType<typeof member>[], failedWhenCancelled: number | null = null) => ({
  entries,
  upgrade: view(entries[0]),
  members,
  membersCurrent: true,
  failedWhenCancelled,
});

describe('historyAgrees', () => {
  it('holds for an ended upgrade whose counts and failed count are its rows', () => {
    const ended = counts({ total: 1, failed: 1, notRunningTarget: [{ status: 'Failed', version: '17.9.4.27', count: 1 }] });
    const newest = entry(2, 'Failed', { failedAps: 1, apCounts: ended });
    expect(historyAgrees(facts([newest, entry(1, 'Completed')], [member('A', 2, 'Failed'), member('B', 1, 'Failed')]))).toEqual([]);
  });

  it('finds a replaced upgrade with no end, and a failed count of 0', () => {
    const newest = entry(2, 'Failed');
    expect(historyAgrees(facts([newest, entry(1, 'Activate')], [member('A', 2, 'Failed')])).map((v) => v.message)).toEqual([
      'Upgrade 1 (Activate) shows no end, although upgrade 2 replaced it',
      'upgrade 2 ended Failed with Failed APs 0, but 1 of its AP rows show Failed',
    ]);
  });

  it('ends a superseded upgrade, by a newer one', () => {
    const newest = entry(3, 'Initiate');
    expect(historyAgrees(facts([newest, entry(2, 'Superseded', { supersededBy: 3 }), entry(1, 'Superseded', { supersededBy: 2 })], []))).toEqual([]);
    expect(historyAgrees(facts([newest, entry(2, 'Superseded', { finishedAt: null, supersededBy: 1 })], [])).map((v) => v.message)).toEqual([
      'Upgrade 2 (Superseded) has ended but the history shows no end time',
      'Upgrade 2 (Superseded) says it was superseded by upgrade 1, not by a newer one',
    ]);
  });

  it("holds the counts to themselves and the newest upgrade's counts to its rows", () => {
    const running = entry(1, 'APImageDownload', { apCounts: counts({ total: 2, predownloading: 2, notRunningTarget: [{ status: 'Predownloading', version: '17.9.4.27', count: 2 }] }) });
    const rows = [member('A', 1, 'Predownloading'), member('B', 1, 'Complete')];
    expect(historyAgrees(facts([running], rows)).map((v) => v.message)).toEqual([
      "upgrade 1's counts: predownloading 2, but 1 of its rows are Predownloading",
      "upgrade 1's counts: complete 0, but 1 of its rows are Complete",
      "upgrade 1's counts: 2 Predownloading still run 17.9.4.27, but 1 of its rows do",
    ]);
    // Read while the store lags the rows, the members are not held to the counts.
    expect(historyAgrees({ ...facts([running], rows), membersCurrent: false })).toEqual([]);
    const odd = entry(1, 'Completed', { apCounts: counts({ total: 2, joined: 1, runningTarget: 1 }) });
    expect(historyAgrees(facts([odd], [member('A', 1, 'Joined', '17.12.1.5')])).map((v) => v.message)).toEqual([
      'Upgrade 1 (Completed): its APs by status make 1, its total is 2',
      'Upgrade 1 (Completed): 1 AP(s) run its version and 0 do not, of 2',
      "upgrade 1's counts: total 2, but 1 AP row(s) are its",
    ]);
  });

  it('counts a cancelled predownload by the APs that had failed when it was cancelled', () => {
    const newest = entry(1, 'Cancelled');
    expect(historyAgrees(facts([newest], [member('A', 1, 'Aborted')], 1))[0].message).toContain('1 of its AP rows had failed when it was cancelled');
  });
});

describe('runningClaims', () => {
  const apRow = (name: string, extra: Partial<ApImageRow>) =>
    ({ name, predownloadStatus: 'Joined', primaryImage: '17.12.1.5', backupImage: '17.9.4.27', predownloadVersion: '17.12.1.5', ...extra }) as ApImageRow;
  const members = [member('A', 1, 'Joined', '17.12.1.5'), member('B', 1, 'NotSupported')];

  it('holds a result of Completed, and "Network running X", to every AP of the upgrade', () => {
    const upgrade = view(entry(1, 'Completed', { message: 'Network running 17.12.1.5; controller running 17.12.01.0.5' }));
    expect(runningClaimsAreTrue({ upgrade, rows: [], members, aps: [] }).map((v) => v.message)).toEqual([
      'upgrade 1 says Completed (17.12.1.5) but B runs 17.9.4.27',
      'upgrade 1 says "Network running 17.12.1.5" but B runs 17.9.4.27',
    ]);
  });

  it('holds the numbers of "Completed on N of M APs" and "N of M APs run X; K … still run Y" to the rows', () => {
    const message = '1 of 2 APs run 17.12.1.5; 1 not supported by the release still runs 17.9.4.27; controller running 17.12.01.0.5';
    const upgrade = view(entry(1, 'Completed', { result: 'Completed on 1 of 2 APs', message }));
    expect(runningClaimsAreTrue({ upgrade, rows: [], members, aps: [] })).toEqual([]);
    const wrong = view(entry(1, 'Completed', { result: 'Completed on 2 of 2 APs', message: message.replace('1 of 2', '2 of 2').replace('; 1 not', '; 0 not') }));
    expect(runningClaimsAreTrue({ upgrade: wrong, rows: [], members, aps: [] }).map((v) => v.message)).toEqual([
      'upgrade 1 says "Completed on 2 of 2 APs" (17.12.1.5) but 1 of its 2 AP(s) run it',
      'upgrade 1 says "2 of 2 APs run 17.12.1.5" but 1 of its 2 AP(s) do',
      'upgrade 1 says 0 AP(s) still run 17.9.4.27, but 1 of its AP(s) do',
    ]);
    const aborted = view(entry(1, 'Cancelled', { message: 'Activation aborted: 2 AP(s) run 17.12.1.5, 0 failed, 0 still run the old version with 17.12.1.5 as backup image' }));
    expect(runningClaimsAreTrue({ upgrade: aborted, rows: [], members, aps: [] }).map((v) => v.message)).toEqual(['upgrade 1 says "2 AP(s) run 17.12.1.5" but 1 of its AP(s) do']);
  });

  it('lets an ended upgrade count up to as many more APs as left it for a download at join since, and no more', () => {
    const message = '2 of 3 APs run 17.12.1.5; 1 excluded from activation still runs 17.3.3.26; controller running 17.12.01.0.5';
    const ended = { ...view(entry(1, 'Completed', { result: 'Completed on 2 of 3 APs', message })), finishedAt: '2026-12-06T12:00:00.000Z' };
    // The excluded AP joined again on its old release in the step the upgrade ended, and was given the controller's version at join.
    const stayed = [member('A', 1, 'Joined', '17.12.1.5'), member('B', 1, 'Joined', '17.12.1.5')];
    expect(runningClaimsAreTrue({ upgrade: ended, rows: [], members: stayed, aps: [], leftSinceEnd: 1 })).toEqual([]);
    expect(runningClaimsAreTrue({ upgrade: ended, rows: [], members: stayed, aps: [] }).map((v) => v.message)).toEqual([
      'upgrade 1 says "Completed on 2 of 3 APs" (17.12.1.5) but 2 of its 2 AP(s) run it',
      'upgrade 1 says "2 of 3 APs run 17.12.1.5" but 2 of its 2 AP(s) do',
      'upgrade 1 says 1 AP(s) still run 17.3.3.26, but 0 of its AP(s) do',
    ]);
    // One AP that left does not excuse two.
    expect(runningClaimsAreTrue({ upgrade: ended, rows: [], members: stayed.slice(0, 1), aps: [], leftSinceEnd: 1 }).length).toBeGreaterThan(0);
  });

  it("holds a row at rest to the AP's own images", () => {
    const upgrade = view(entry(1, 'Activate'));
    const rows = [apRow('A', { predownloadStatus: 'Complete', primaryImage: '17.9.4.27', backupImage: '17.12.1.5' })];
    expect(runningClaimsAreTrue({ upgrade, rows, members: [], aps: [{ name: 'A', primaryVersion: '17.9.4.27', backupVersion: '17.12.1.5' }] })).toEqual([]);
    expect(runningClaimsAreTrue({ upgrade, rows, members: [], aps: [{ name: 'A', primaryVersion: '17.9.4.27', backupVersion: '17.3.3.26' }] })).toHaveLength(1);
  });
});

describe('controllerVersion', () => {
  const hosting = (predownloadStatus: ApImageRow['predownloadStatus']) => [{ name: 'AP-C', hostsController: true, predownloadStatus }];
  const own = (controllerPrimaryVersion?: string) => [{ name: 'AP-C', primaryVersion: '17.9.4.27', backupVersion: '17.12.1.5', controllerPrimaryVersion }];

  it('holds the version the console says the controller runs to the controller software its AP boots', () => {
    expect(controllerVersionIsTrue({ upgrade: { controllerVersion: '17.09.04a.0.6' }, rows: hosting('Complete'), aps: own('17.09.04a.0.6') })).toEqual([]);
    // The AP hosting the controller sat the activation out (excluded): the console must not say the new version.
    expect(controllerVersionIsTrue({ upgrade: { controllerVersion: '17.12.01.0.5' }, rows: hosting('Complete'), aps: own('17.09.04a.0.6') }).map((v) => v.message)).toEqual([
      'the console says the controller runs 17.12.01.0.5, but AP-C, which hosts it, runs controller software 17.09.04a.0.6',
    ]);
  });

  it('waits for a reloading hosting AP to join again, and has nothing to hold the version to without a hosting AP or its word', () => {
    expect(controllerVersionIsTrue({ upgrade: { controllerVersion: '17.09.04a.0.6' }, rows: hosting('Reloading'), aps: own('17.12.01.0.5') })).toEqual([]);
    expect(
      controllerVersionIsTrue({ upgrade: { controllerVersion: '17.12.01.0.5' }, rows: [{ name: 'AP-C', hostsController: false, predownloadStatus: 'Joined' }], aps: own('17.09.04a.0.6') }),
    ).toEqual([]);
    expect(controllerVersionIsTrue({ upgrade: { controllerVersion: '17.12.01.0.5' }, rows: hosting('Joined'), aps: own(undefined) })).toEqual([]);
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
