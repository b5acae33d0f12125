/** `17.09.04a.0.6` (the controller's package version) → `17.09.04a`, the release IOS-XE prints. */
export function iosRelease(controllerVersion: string): string {
  return controllerVersion.split('.').slice(0, 3).join('.');
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
  return [
    `Cisco IOS XE Software, Version ${release}`,
    `Cisco IOS Software [Cupertino], C9800-AP Software (ARMV8EL_LINUX_IOSD-UNIVERSALK9_WLC-M), Version ${release}, RELEASE SOFTWARE (fc1)`,
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
