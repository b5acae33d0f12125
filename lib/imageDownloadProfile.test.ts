import { describe, expect, it } from 'vitest';
import { hostKeyRequestSchema, imageDownloadProfileInputSchema, toFieldIssues } from './imageDownloadProfile';

const SFTP = { mode: 'SFTP', imageServer: '10.0.0.5', imagePath: 'EWC/17_12_1_5', port: 22, parallelMode: false, sftp: { username: 'ewc-demo', password: 'ewc-demo-password' } };

// The first message of each field, as the form shows it.
function issuesOf(input: unknown): Record<string, string> {
  const parsed = imageDownloadProfileInputSchema.safeParse(input);
  return parsed.success
    ? {}
    : Object.fromEntries(
        toFieldIssues(parsed.error)
          .reverse()
          .map((i) => [i.path, i.message]),
      );
}

describe('image download profile input', () => {
  it('accepts a plain SFTP profile and the port as the form types it', () => {
    expect(issuesOf(SFTP)).toEqual({});
    expect(imageDownloadProfileInputSchema.parse({ ...SFTP, port: ' 2222 ' }).port).toBe(2222);
  });

  it('refuses image servers that are not one host: unspecified, broadcast, multicast, reserved and non-dotted IPv4', () => {
    const cases: [string, RegExp][] = [
      ['0.0.0.0', /this network/],
      ['0.1.2.3', /this network/],
      ['255.255.255.255', /broadcast/],
      ['224.0.0.1', /multicast/],
      ['239.255.255.250', /multicast/],
      ['240.0.0.1', /reserved/],
      ['0x7f000001', /four decimal numbers/],
      ['0x7f.0.0.1', /four decimal numbers/],
      ['127.1', /four decimal numbers/],
      ['2130706433', /four decimal numbers/],
      ['ewc.0x7f', /four decimal numbers/],
      ['::', /unspecified/],
      ['ff02::1', /multicast/],
    ];
    for (const [imageServer, message] of cases) expect(issuesOf({ ...SFTP, imageServer }).imageServer, imageServer).toMatch(message);
    for (const imageServer of ['10.0.0.5', '127.0.0.1', 'images.example.net', 'fd00::5', '223.255.255.1']) expect(issuesOf({ ...SFTP, imageServer }), imageServer).toEqual({});
  });

  it('refuses bidi overrides and line separators in the image path', () => {
    for (const imagePath of ['EWC/\u202Egnp.8g1pa', 'EWC\u2028/17', 'EWC\u0085/17', 'EWC/\u2066x', 'EWC\n/17']) {
      expect(issuesOf({ ...SFTP, imagePath }).imagePath, JSON.stringify(imagePath)).toMatch(/control, line-break or text-direction/);
    }
  });

  it('takes the port only as a whole number: not true, [69] or "0x45"', () => {
    for (const port of [true, [69], '0x45', '69.5', '1e3', '', 0, 65536, 69.5]) {
      expect(issuesOf({ ...SFTP, port }).port, JSON.stringify(port)).toMatch(/Port must be/);
      expect(issuesOf({ ...SFTP, sftp: { ...SFTP.sftp, port } })['sftp.port'], JSON.stringify(port)).toMatch(/Port must be/);
      expect(hostKeyRequestSchema.safeParse({ imageServer: '10.0.0.5', port }).success, JSON.stringify(port)).toBe(false);
    }
    // A null names nothing (a view shows null where a mode has no port), so the stored port is kept.
    expect(imageDownloadProfileInputSchema.parse({ ...SFTP, port: null })).not.toHaveProperty('port');
    expect(hostKeyRequestSchema.safeParse({ imageServer: '10.0.0.5', port: null }).success).toBe(false);
  });

  it('refuses control characters in every SFTP string, so no configuration line can be smuggled in', () => {
    const injected = 'ewc-demo\nusername bd privilege 15 secret Pwn3d!';
    expect(issuesOf({ ...SFTP, sftp: { ...SFTP.sftp, username: injected } })['sftp.username']).toMatch(/control, line-break or text-direction/);
    expect(issuesOf({ ...SFTP, sftp: { ...SFTP.sftp, username: 'two words' } })['sftp.username']).toMatch(/spaces/);
    expect(issuesOf({ ...SFTP, sftp: { ...SFTP.sftp, password: 'pw\r\nend' } })['sftp.password']).toMatch(/control/);
    expect(issuesOf({ ...SFTP, sftp: { ...SFTP.sftp, passphrase: 'a\u0000b' } })['sftp.passphrase']).toMatch(/control/);
  });
});
