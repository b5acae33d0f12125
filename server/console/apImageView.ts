import { AP_IMAGE_ROLE, summarizeApImage, type ApImageReport, type ApImageRow, type ApImageSummary } from '../../lib/apImage';
import { apImageFilter, compareApImageRows, parseSort, type ApImageQuery } from '../../lib/apImageQuery';
import { PREDOWNLOAD_ACTIVE, type PredownloadStatus } from '../../lib/predownloadStatus';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { FleetReader } from '../fleet/fleetProjection';
import type { TransferProgress } from '../orchestrator/transferProgress';
import { imageKey } from '../orchestrator/imageKey';

export interface ApImageViewSources {
  fleet: FleetReader;
  progress: TransferProgress;
  isConnected: (mac: string) => boolean;
  /** Whether the controller already holds this AP's image for the running upgrade. */
  imageFetchedFor: (imageType: string) => boolean;
  /** Place of each AP waiting for a delivery slot. */
  queuePositions: () => Map<string, number>;
  /** Whether a predownload runs: the upgrade is between Initiate and Network Upgrade. */
  predownloadRunning: () => boolean;
}

export function toApImageRow(ap: AccessPointRecord, sources: ApImageViewSources, queuePositions: Map<string, number>): ApImageRow {
  const apProgress = sources.progress.figures(ap.mac, 'ap');
  const controllerProgress = ap.hostsController ? sources.progress.figures(ap.mac, 'controller') : null;
  const done = ap.predownloadStatus === 'Complete' || ap.predownloadStatus === 'Reloading' || ap.predownloadStatus === 'Joined';
  // Only an AP with a transfer still owed waits to resume one.
  const active = PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus);
  return {
    name: ap.name,
    mac: ap.mac,
    model: ap.model,
    imageType: ap.imageType,
    role: AP_IMAGE_ROLE,
    primaryImage: ap.primaryImage,
    backupImage: ap.backupImage,
    backupImageSha256: ap.backupImageSha256,
    controllerPrimaryImage: ap.controllerPrimaryImage,
    controllerBackupImage: ap.controllerBackupImage,
    predownloadStatus: ap.predownloadStatus,
    predownloadVersion: ap.predownloadVersion,
    percent: done ? 100 : (apProgress?.percent ?? 0),
    etaSeconds: done ? 0 : (apProgress?.etaSeconds ?? null),
    waitsToResume: active && (apProgress?.waitsToResume ?? false),
    lastAcknowledged: active && (apProgress?.lastAcknowledged ?? false),
    controllerPercent: ap.hostsController ? (done ? 100 : (controllerProgress?.percent ?? 0)) : null,
    controllerEtaSeconds: ap.hostsController ? (done ? 0 : (controllerProgress?.etaSeconds ?? null)) : null,
    controllerWaitsToResume: active && (controllerProgress?.waitsToResume ?? false),
    controllerLastAcknowledged: active && (controllerProgress?.lastAcknowledged ?? false),
    retryCount: ap.retryCount,
    nextRetryTime: ap.nextRetryTime,
    method: ap.method,
    hostsController: ap.hostsController,
    connected: sources.isConnected(ap.mac),
    lastError: ap.lastError,
    queuePosition: queuePositions.get(imageKey('ap', ap.mac)) ?? null,
    controllerQueuePosition: ap.hostsController ? (queuePositions.get(imageKey('controller', ap.mac)) ?? null) : null,
    siteTag: ap.siteTag,
    activationExcluded: ap.activationExcluded,
  };
}

/**
 * The counters of `show ap image`, from the fleet's counters: O(image types), not O(APs).
 * A Downloading AP whose image the controller already holds waits for a delivery slot:
 * it is "Completed downloading", not "Downloading" (see summarizeApImage).
 */
export function fleetSummary(fleet: FleetReader, sources: Pick<ApImageViewSources, 'imageFetchedFor' | 'predownloadRunning'>): ApImageSummary {
  let downloadingWithImage = 0;
  for (const imageType of fleet.imageTypes()) {
    if (sources.imageFetchedFor(imageType)) downloadingWithImage += fleet.countOfType(imageType, 'Downloading');
  }
  return summarizeApImage({ totalAps: fleet.size, count: (status) => fleet.count(status), downloadingWithImage, predownloadRunning: sources.predownloadRunning() });
}

/**
 * The same counters over the APs that host the controller: the ones the controller image goes to
 * (RESTCONF's `wlc-predownload-stats`). One such AP's status covers both of its images, the controller
 * image first. O(APs): a scan, for a read that asks for it, never for the page's updates.
 */
export function controllerHostSummary(fleet: FleetReader, sources: Pick<ApImageViewSources, 'imageFetchedFor' | 'predownloadRunning'>): ApImageSummary {
  const counts = new Map<PredownloadStatus, number>();
  let totalAps = 0;
  let downloadingWithImage = 0;
  for (const ap of fleet.values()) {
    if (!ap.hostsController) continue;
    totalAps += 1;
    counts.set(ap.predownloadStatus, (counts.get(ap.predownloadStatus) ?? 0) + 1);
    if (ap.predownloadStatus === 'Downloading' && sources.imageFetchedFor(ap.imageType)) downloadingWithImage += 1;
  }
  return summarizeApImage({ totalAps, count: (status) => counts.get(status) ?? 0, downloadingWithImage, predownloadRunning: sources.predownloadRunning() });
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
  const summary = fleetSummary(fleet, sources);
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
