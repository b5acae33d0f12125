import type { ApImageRow } from '../../lib/apImage';
import type { YangObject } from './dataTree';
import { dateAndTime, timeticks, versionInfo, yangMac } from './yangValues';

export const ACCESS_POINT_OPER = 'Cisco-IOS-XE-wireless-access-point-oper';

/** What the AP image report does not carry: the AP's address while it is joined, and when each of its transfers started (epoch ms). */
export interface ApLiveFacts {
  address: (mac: string) => string | null;
  transferStartedAt: (mac: string, kind: 'ap' | 'controller') => number | null;
}

/** The leaves of `image-size-*` (or `wlc-image-size-*`): the percent acknowledged (whole, never rounded up to 100 early), the ETA and the start. */
function transferLeaves(prefix: '' | 'wlc-', percent: number | null, etaSeconds: number | null, startedAt: number | null): YangObject {
  if (percent === null) return {};
  const leaves: YangObject = { [`${prefix}image-size-percentage`]: Math.floor(percent) };
  if (etaSeconds !== null) leaves[`${prefix}image-size-eta`] = timeticks(etaSeconds);
  if (startedAt !== null) leaves[`${prefix}image-size-start-time`] = dateAndTime(startedAt);
  return leaves;
}

/**
 * One `capwap-data` entry from a row of the AP image report (`GET /api/ap-image`, `show ap image`):
 * - `wtp-mac`: the AP's MAC in `yang:mac-address` form; `name`; `device-detail/static-info/ap-models/model`;
 * - `ip-addr` (deprecated in the module) and `wtp-ip`: the address the AP's connection comes from, while joined;
 * - `device-detail/wtp-version`: `sw-version` (the primary image as text), `sw-ver` and `backup-sw-version`
 *   (primary and backup image as version, release, maint, build; left out when a version is not four numbers of 0-255);
 * - `image-size-percentage`, `-eta` (timeticks), `-start-time`: the AP image's transfer, as the Percent and ETA columns;
 *   `wlc-image-size-*` the same for the controller image, on the AP that hosts the controller only;
 * - `ap-state/ap-operation-state`: `registered` while joined, else `unregistered` (`show ap summary`'s Registered / Not Joined);
 * - `tag-info/site-tag/site-tag-name`: the AP's site tag.
 */
export function capwapDataEntry(row: ApImageRow, live: ApLiveFacts): YangObject | null {
  const mac = yangMac(row.mac);
  if (!mac) return null;
  const address = row.connected ? live.address(row.mac) : null;
  const swVer = versionInfo(row.primaryImage);
  const backup = versionInfo(row.backupImage);
  return {
    'wtp-mac': mac,
    ...(address ? { 'ip-addr': address, 'wtp-ip': address } : {}),
    name: row.name,
    'device-detail': {
      'static-info': { 'ap-models': { model: row.model } },
      'wtp-version': {
        ...(backup ? { 'backup-sw-version': backup } : {}),
        ...(swVer ? { 'sw-ver': swVer } : {}),
        'sw-version': row.primaryImage,
      },
    },
    'tag-info': { 'site-tag': { 'site-tag-name': row.siteTag } },
    'ap-state': { 'ap-operation-state': row.connected ? 'registered' : 'unregistered' },
    ...transferLeaves('', row.percent, row.etaSeconds, live.transferStartedAt(row.mac, 'ap')),
    ...transferLeaves('wlc-', row.controllerPercent, row.controllerEtaSeconds, row.hostsController ? live.transferStartedAt(row.mac, 'controller') : null),
  };
}

/**
 * `access-point-oper-data` as far as the console knows it: a `capwap-data` entry for every AP of the
 * AP image report (joined or not, as `show ap image` lists them) and `ap-name-mac-map` (AP name to MAC).
 * An AP name held by two APs maps to the first of them by MAC: the list's key is the name.
 */
export function accessPointOperData(rows: readonly ApImageRow[], live: ApLiveFacts): YangObject {
  const capwapData: YangObject[] = [];
  for (const row of rows) {
    const entry = capwapDataEntry(row, live);
    if (entry) capwapData.push(entry);
  }
  const byName = new Map<string, string>();
  for (const entry of [...capwapData].sort((a, b) => String(a['wtp-mac']).localeCompare(String(b['wtp-mac'])))) {
    if (!byName.has(String(entry.name))) byName.set(String(entry.name), String(entry['wtp-mac']));
  }
  return {
    'capwap-data': capwapData,
    'ap-name-mac-map': [...byName].map(([name, mac]) => ({ 'wtp-name': name, 'wtp-mac': mac })),
  };
}
