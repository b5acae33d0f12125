import { describe, expect, it } from 'vitest';
import { apJoinInfoSchema } from './capwapEvents';
import { escapeLogText, logTextCut } from './logText';

describe('what an AP may say', () => {
  it('escapes control and bidi characters so a log line stays one visible line', () => {
    expect(escapeLogText('ok\nAP Event: stage Completed')).toBe('ok\\nAP Event: stage Completed');
    expect(escapeLogText('a\u0000b\u202ec\u2066d\u001be')).toBe('a\\u0000b\\u202ec\\u2066d\\u001be');
    expect(logTextCut('x'.repeat(12), 10)).toBe(`${'x'.repeat(10)}… [2 more characters cut]`);
  });

  it('refuses a join whose strings are not printable or too long, and keeps the known fields', () => {
    const join = { name: 'AP-1', mac: '70:F0:96:A1:4E:20', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: '17.9.4.27', backupVersion: '', freeSpaceKb: 1, hostsController: false };
    expect(apJoinInfoSchema.parse(join)).toEqual({ ...join, mac: '70f0.96a1.4e20' });
    expect(apJoinInfoSchema.safeParse({ ...join, name: 'AP\u202e1' }).success).toBe(false);
    expect(apJoinInfoSchema.safeParse({ ...join, model: 'x'.repeat(65) }).success).toBe(false);
    expect(apJoinInfoSchema.safeParse({ ...join, primaryVersion: '17.9\r\n' }).success).toBe(false);
  });

  it('takes only a plain version as the controller version an AP reports (it becomes the console’s own, sent in HTTP headers)', () => {
    const join = { name: 'AP-1', mac: '70:F0:96:A1:4E:20', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: '17.9.4.27', backupVersion: '', freeSpaceKb: 1, hostsController: true };
    for (const version of ['17.12.01.0.5', '17.09.04a.0.6', '']) expect(apJoinInfoSchema.safeParse({ ...join, controllerPrimaryVersion: version }).success, version).toBe(true);
    for (const version of ['17.12 (beta)', 'é17', 'v17.12', '17.12\u0000', '1'.repeat(65)]) {
      const parsed = apJoinInfoSchema.safeParse({ ...join, controllerPrimaryVersion: version });
      expect(parsed.success, version).toBe(false);
      expect(parsed.error?.issues[0].message).toMatch(/must be a version such as 17.12.01.0.5|<=64 characters/);
    }
    expect(apJoinInfoSchema.safeParse({ ...join, controllerBackupVersion: '17.12 \u202e' }).success).toBe(false);
  });
});
