import { describe, expect, it } from 'vitest';
import { iosReleaseName, renderShowVersion } from './showVersion';

const softwareLine = (controllerVersion: string) => renderShowVersion('9120-EWC', controllerVersion, 0, 60_000)[1];

describe('show version', () => {
  it('names the release train only for the releases Cisco named', () => {
    expect(iosReleaseName('17.3.4')).toBe('Amsterdam');
    expect(iosReleaseName('17.06.05')).toBe('Bengaluru');
    expect(iosReleaseName('17.09.04a')).toBe('Cupertino');
    expect(iosReleaseName('17.7.1')).toBe('Cupertino');
    expect(iosReleaseName('17.10.1')).toBe('Dublin');
    expect(iosReleaseName('17.12.01')).toBe('Dublin');
    expect(iosReleaseName('16.12.5')).toBe('Gibraltar');
    // From 17.13 the trains carry no name.
    expect(iosReleaseName('17.13.1')).toBeNull();
    expect(iosReleaseName('17.18.01')).toBeNull();
    expect(iosReleaseName('garbage')).toBeNull();
  });

  it('prints the seed controller version as Cupertino and 17.18 without a name', () => {
    expect(softwareLine('17.09.04a.0.6')).toBe('Cisco IOS Software [Cupertino], C9800-AP Software (ARMV8EL_LINUX_IOSD-UNIVERSALK9_WLC-M), Version 17.09.04a, RELEASE SOFTWARE (fc1)');
    expect(softwareLine('17.12.01.0.5')).toContain('[Dublin]');
    expect(softwareLine('17.18.01.0.2')).toBe('Cisco IOS Software, C9800-AP Software (ARMV8EL_LINUX_IOSD-UNIVERSALK9_WLC-M), Version 17.18.01, RELEASE SOFTWARE (fc1)');
  });
});
