import { describe, expect, it } from 'vitest';
import { seedLine } from '../server/sim/testing/seedText';
import { imagePairText } from './apImage';
import { iosTimestamp } from './iosTime';
import { syslogLineText } from './syslog';

describe("IOS's syslog line, as show logging and the page's log view print it", () => {
  it('writes the time as IOS does: the day padded to two characters with a space, milliseconds, in UTC', () => {
    expect(iosTimestamp('2024-02-01T17:05:37.108Z')).toBe('*Feb  1 17:05:37.108');
    expect(iosTimestamp('2024-12-31T23:59:59.001Z')).toBe('*Dec 31 23:59:59.001');
  });

  it("prints the seed's line from its parts", () => {
    // Seed: *Feb 1 17:07:00.720: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-POD-2-2 Mac: 2c5a.0f40.6920 Session-IP: 172.16.4.33[5248] 172.16.4.26[5246] Disjoined Image Download Success
    // Differs: the second space before the one-digit day, which the seed's web page dropped.
    const seed = seedLine('Disjoined Image Download Success');
    const text = 'Chassis 1 R0/0: wncd: AP Event: AP Name: AP-POD-2-2 Mac: 2c5a.0f40.6920 Session-IP: 172.16.4.33[5248] 172.16.4.26[5246] Disjoined Image Download Success';
    const line = syslogLineText({ time: '2024-02-01T17:07:00.720Z', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });
    expect(line).toBe(seed.replace('*Feb 1 ', '*Feb  1 '));
  });
});

describe("the Web UI's AP/Controller image pairs", () => {
  it('are written as the seed writes them', () => {
    // Seed (French copy, the Web UI's table): "AP-POD-2-2  17.9.4.27 / NA  17.12.1.5 / NA …" and "AP6C41.0E16.E79C  17.9.4.27 /17.09.04a.0.6  17.12.1.5 /17.09.04a.0.6 …"
    const withoutController = seedLine('AP-POD-2-2\t17.9.4.27 /', 'ewc-non-homogeneous-ap-upgrade.fr.txt').split('\t');
    const withController = seedLine('AP6C41.0E16.E79C\t17.9.4.27 /', 'ewc-non-homogeneous-ap-upgrade.fr.txt').split('\t');
    expect(imagePairText('17.9.4.27', null)).toBe(withoutController[1]);
    expect(imagePairText('17.12.1.5', null)).toBe(withoutController[2]);
    expect(imagePairText('17.9.4.27', '17.09.04a.0.6')).toBe(withController[1]);
    expect(imagePairText('17.12.1.5', '17.09.04a.0.6')).toBe(withController[2]);
  });
});
