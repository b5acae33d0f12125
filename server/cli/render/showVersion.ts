/** `17.09.04a.0.6` (the controller's package version) → `17.09.04a`, the release IOS-XE prints. */
export function iosRelease(controllerVersion: string): string {
  return controllerVersion.split('.').slice(0, 3).join('.');
}

/**
 * IOS-XE's release trains, by major version and the range of minor releases they span, as Cisco
 * names them (Cupertino 17.7 to 17.9, Dublin 17.10 to 17.12, ...). Releases from 17.13 on carry no
 * train name: none is printed rather than a guess.
 */
const RELEASE_TRAINS: readonly { major: number; from: number; to: number; name: string }[] = [
  { major: 16, from: 1, to: 3, name: 'Denali' },
  { major: 16, from: 4, to: 6, name: 'Everest' },
  { major: 16, from: 7, to: 9, name: 'Fuji' },
  { major: 16, from: 10, to: 12, name: 'Gibraltar' },
  { major: 17, from: 1, to: 3, name: 'Amsterdam' },
  { major: 17, from: 4, to: 6, name: 'Bengaluru' },
  { major: 17, from: 7, to: 9, name: 'Cupertino' },
  { major: 17, from: 10, to: 12, name: 'Dublin' },
];

/** The train name of a release (`17.09.04a` → `Cupertino`), or null when it has none or is not known. */
export function iosReleaseName(release: string): string | null {
  const [major, minor] = release.split('.').map((part) => parseInt(part, 10));
  return RELEASE_TRAINS.find((train) => train.major === major && minor >= train.from && minor <= train.to)?.name ?? null;
}

function uptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor(minutes / 60) % 24, 'hour'],
    [minutes % 60, 'minute'],
  ];
  const shown = parts.filter(([n], i) => n > 0 || i === 2);
  return shown.map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`).join(', ');
}

/** `show version` in IOS-XE's shape, which scripts parse for the version, host name and uptime. */
export function renderShowVersion(hostname: string, controllerVersion: string, startedAt: number, now = Date.now()): string[] {
  const release = iosRelease(controllerVersion);
  const name = iosReleaseName(release);
  return [
    `Cisco IOS XE Software, Version ${release}`,
    `Cisco IOS Software${name ? ` [${name}]` : ''}, C9800-AP Software (ARMV8EL_LINUX_IOSD-UNIVERSALK9_WLC-M), Version ${release}, RELEASE SOFTWARE (fc1)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2024 by Cisco Systems, Inc.',
    '',
    'ROM: IOS-XE ROMMON',
    `${hostname} uptime is ${uptime(now - startedAt)}`,
    `Uptime for this control processor is ${uptime(now - startedAt)}`,
    'System returned to ROM by reload',
    'System image file is "bootflash:C9800-AP-iosxe-wlc.bin"',
    '',
    `Controller software package: ${controllerVersion}`,
    '',
    'cisco C9800-AP (ARM64) processor (revision V00) with 1048576K bytes of memory.',
    'Configuration register is 0x2102',
  ];
}
