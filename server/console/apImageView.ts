import { AP_IMAGE_ROLE, type ApImageReport, type ApImageRow, type ApImageSummary } from '../../lib/apImage';
import { apImageFilter, compareApImageRows, parseSort, type ApImageQuery } from '../../lib/apImageQuery';
import { PREDOWNLOAD_ACTIVE } from '../../lib/predownloadStatus';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { FleetReader } from '../fleet/fleetProjection';
import type { TransferProgress } from '../orchestrator/transferProgress';

export interface ApImageViewSources {
  fleet: FleetReader;
  progress: TransferProgress;
  isConnected: (mac: string) => boolean;
  /** Whether the controller already holds this AP's image for the running upgrade. */
  imageFetchedFor: (imageType: string) => boolean;
  /** Place of each AP waiting for a delivery slot. */
  queuePositions: () => Map<string, number>;
}

export function toApImageRow(ap: AccessPointRecord, sources: ApImageViewSources, queuePositions: Map<string, number>): ApImageRow {
  const apProgress = sources.progress.figures(ap.mac, 'ap');
  const controllerProgress = ap.hostsController ? sources.progress.figures(ap.mac, 'controller') : null;
  const done = ap.predownloadStatus === 'Complete' || ap.predownloadStatus === 'Reloading' || ap.predownloadStatus === 'Joined';
  return {
    name: ap.name,
    mac: ap.mac,
    model: ap.model,
    imageType: ap.imageType,
    role: AP_IMAGE_ROLE,
    primaryImage: ap.primaryImage,
    backupImage: ap.backupImage,
    backupImageSha256: ap.backupImageSha256,
    predownloadStatus: ap.predownloadStatus,
    predownloadVersion: ap.predownloadVersion,
    percent: done ? 100 : (apProgress?.percent ?? 0),
    etaSeconds: done ? 0 : (apProgress?.etaSeconds ?? null),
    controllerPercent: ap.hostsController ? (done ? 100 : (controllerProgress?.percent ?? 0)) : null,
    controllerEtaSeconds: ap.hostsController ? (done ? 0 : (controllerProgress?.etaSeconds ?? null)) : null,
    retryCount: ap.retryCount,
    nextRetryTime: ap.nextRetryTime,
    method: ap.method,
    hostsController: ap.hostsController,
    connected: sources.isConnected(ap.mac),
    lastError: ap.lastError,
    queuePosition: queuePositions.get(ap.mac) ?? null,
    siteTag: ap.siteTag,
    activationExcluded: ap.activationExcluded,
  };
}

/**
 * The counters of `show ap image`, from the fleet's counters: O(image types), not O(APs).
 * "Completed downloading" counts APs whose image the controller holds (fetched from the
 * image server) while their predownload has not finished yet.
 */
export function fleetSummary(fleet: FleetReader, imageFetchedFor: (imageType: string) => boolean): ApImageSummary {
  let completedDownloading = 0;
  for (const imageType of fleet.imageTypes()) {
    if (imageFetchedFor(imageType)) completedDownloading += fleet.countOfType(imageType, 'Predownloading');
  }
  return {
    totalAps: fleet.size,
    initiated: fleet.count('Initiated'),
    downloading: fleet.count('Downloading'),
    predownloading: fleet.count('Predownloading'),
    completedDownloading,
    completedPredownloading: fleet.count('Complete'),
    notSupported: fleet.count('NotSupported'),
    failedToPredownload: fleet.count('Failed'),
    predownloadInProgress: [...PREDOWNLOAD_ACTIVE].some((status) => fleet.count(status) > 0),
  };
}

/**
 * One page of the AP table. Sorted by name (the default), rows are built only for the page;
 * another order builds the rows that match the filter, then sorts them.
 */
export function queryApImage(query: ApImageQuery, sources: ApImageViewSources): ApImageReport {
  const { fleet } = sources;
  const matches = apImageFilter(query);
  const end = query.limit === undefined ? Infinity : query.offset + query.limit;
  const positions = sources.queuePositions();
  const summary = fleetSummary(fleet, sources.imageFetchedFor);
  const { key, descending } = parseSort(query.sort);
  if (key === 'name') {
    const ordered = descending ? [...fleet.macsByName()].reverse() : fleet.macsByName();
    const aps: ApImageRow[] = [];
    let total = 0;
    for (const mac of ordered) {
      const ap = fleet.get(mac)!;
      if (!matches(ap)) continue;
      if (total >= query.offset && total < end) aps.push(toApImageRow(ap, sources, positions));
      total += 1;
    }
    return { summary, aps, total };
  }
  const rows: ApImageRow[] = [];
  for (const ap of fleet.values()) {
    if (matches(ap)) rows.push(toApImageRow(ap, sources, positions));
  }
  rows.sort(compareApImageRows(query.sort));
  return { summary, aps: rows.slice(query.offset, end), total: rows.length };
}
