import { describe, expect, it } from 'vitest';
import type { ApImageRow } from '../apImage';
import { joinDownloadIsTrue, verifyClaimsAreTrue, type Joiner } from '.';

// The rules as they judge downloads at join: the words of its lines, and where a joiner must end.
const line = (id: number, text: string) => ({ id, time: `2026-01-01T00:00:0${id}Z`, severity: 'notice' as const, facility: 'X', text });

describe('verifyClaims of a download at join', () => {
  it('judges an image a download at join reused by the version it names, not by the last bundle fetched', () => {
    const bundles = [
      { url: 'tftp://h/unsigned', version: '17.13.1.1', signed: false },
      { url: 'tftp://h/current', version: '17.9.4.27', signed: true },
    ];
    // The join image was fetched before; the last fetch was a predownload's of an unsigned bundle.
    const lines = [
      line(1, 'Chassis 1 R0/0: install_engine: Started install add tftp://h/unsigned/version.info'),
      line(2, 'AP Name: AP-1 Mac: m Image Download Success: 17.9.4.27, Image signing verify success; the AP reloads to run it'),
      line(3, 'AP Name: AP-2 Mac: m Image Download Success: 17.13.1.1, Image signing verify success; the AP reloads to run it'),
    ];
    expect(verifyClaimsAreTrue(lines, bundles).map((v) => v.message)).toEqual([
      '"AP Name: AP-2 Mac: m Image Download Success: 17.13.1.1, Image signing verify success; the AP reloads to run it" (2026-01-01T00:00:03Z), but no vendor signed tftp://h/unsigned (17.13.1.1)',
    ]);
  });
});

describe('joinDownload', () => {
  const joiner: Joiner = {
    name: 'AP-1',
    ran: '17.3.3.26',
    controllerVersion: '17.9.4.27',
    profileSaved: true,
    predownloadUnderWay: false,
    wasReloading: false,
    upgradeEnded: false,
    upgradeAtJoin: null,
  };
  const apRow = (extra: Partial<ApImageRow>) => ({ name: 'AP-1', predownloadStatus: 'None', primaryImage: '17.3.3.26', lastError: null, ...extra }) as ApImageRow;
  const started = line(1, 'AP Name: AP-1 Mac: m Image Download at join: the AP runs 17.3.3.26, the controller 17.9.4.27; downloading ap1g8 from tftp://h/current/');

  it('holds a joiner that ends Joined on the controller version, or Failed with its reason', () => {
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner, row: apRow({ predownloadStatus: 'Joined', primaryImage: '17.9.4.27' }), lines: [started] })).toEqual([]);
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner, row: apRow({ predownloadStatus: 'Failed', lastError: 'Timed out' }), lines: [started] })).toEqual([]);
    // A scheduled predownload that came due since took it.
    expect(joinDownloadIsTrue({ upgradeIdNow: 2, joiner, row: apRow({ predownloadStatus: 'Complete' }), lines: [started] })).toEqual([]);
    expect(joinDownloadIsTrue({ upgradeIdNow: 2, joiner: { ...joiner, upgradeAtJoin: 2 }, row: apRow({ predownloadStatus: 'Complete' }), lines: [started] })).toHaveLength(1);
  });

  it('finds a download at join that never ended, a failure without a reason, and silence', () => {
    const messages = (row: ApImageRow, lines = [started]) => joinDownloadIsTrue({ upgradeIdNow: null, joiner, row, lines }).map((v) => v.message);
    expect(messages(apRow({ predownloadStatus: 'Downloading' }))).toEqual([
      'AP-1 joined running 17.3.3.26 (controller 17.9.4.27): its download at join started, and its row still says Downloading once the console rested',
    ]);
    expect(messages(apRow({ predownloadStatus: 'Failed' }))).toEqual(['AP-1 joined running 17.3.3.26 (controller 17.9.4.27): its row says Failed with no reason']);
    expect(messages(apRow({}), [])).toEqual([
      'AP-1 joined running 17.3.3.26 (controller 17.9.4.27): a profile is saved and no predownload runs, yet it was given no image and the log says nothing of it (its row says None)',
    ]);
  });

  it('lets the log say why not, and asks nothing without a saved profile or of an AP on the controller version', () => {
    const refused = line(2, 'AP Name: AP-1 Mac: m No image download at join: an activation is in progress (upgrade 3); …');
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner, row: apRow({}), lines: [refused] })).toEqual([]);
    const kept = line(2, 'AP Name: AP-1 Mac: m No image download at join: the AP is part of upgrade 1 (Failed); the next Save & Download gives it an image');
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner, row: apRow({}), lines: [kept] })).toEqual([]);
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner: { ...joiner, upgradeEnded: true }, row: apRow({}), lines: [kept] }).map((v) => v.message)).toEqual([
      'AP-1 joined running 17.3.3.26 (controller 17.9.4.27): it was given no image because it "is part of upgrade 1", which had ended',
    ]);
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner: { ...joiner, profileSaved: false }, row: apRow({}), lines: [] })).toEqual([]);
    expect(joinDownloadIsTrue({ upgradeIdNow: null, joiner: { ...joiner, ran: '17.9.4.27' }, row: apRow({ primaryImage: '17.9.4.27' }), lines: [started] })).toHaveLength(1);
  });
});
