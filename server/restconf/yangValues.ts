import { macDigits, normalizeMac } from '../../lib/macAddress';

/** `yang:mac-address` (`2c:5a:0f:40:69:20`) from the console's `2c5a.0f40.6920`; null when it is no MAC. */
export function yangMac(mac: string): string | null {
  const dotted = normalizeMac(mac);
  if (!dotted) return null;
  return macDigits(dotted).match(/../g)!.join(':');
}

/**
 * Cisco's `version-info` (`version`, `release`, `maint`, `build`, each uint8) of an AP version such as
 * `17.9.4.27`; null when the version is not four numbers of 0-255 (the leaves would have to lie).
 */
export function versionInfo(version: string): { version: number; release: number; maint: number; build: number } | null {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(version.trim());
  if (!parts) return null;
  const [v, r, m, b] = parts.slice(1).map(Number);
  if ([v, r, m, b].some((n) => n > 255)) return null;
  return { version: v, release: r, maint: m, build: b };
}

/** `yang:timeticks`: hundredths of a second, uint32. */
export function timeticks(seconds: number): number {
  return Math.min(0xffffffff, Math.max(0, Math.round(seconds * 100)));
}

/** `yang:date-and-time`, in UTC. */
export function dateAndTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
