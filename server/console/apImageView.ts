import type { ApImageReport, ApImageRow } from '../../lib/apImage';
import { summarizeApImages } from '../../lib/apImage';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { TransferProgress } from '../orchestrator/transferProgress';

export interface ApImageViewSources {
  progress: TransferProgress;
  isConnected: (mac: string) => boolean;
  /** Whether the controller already holds this AP's image for the running upgrade. */
  imageFetchedFor: (imageType: string) => boolean;
}

export function toApImageRow(ap: AccessPointRecord, sources: ApImageViewSources): ApImageRow {
  const apProgress = sources.progress.figures(ap.mac, 'ap');
  const controllerProgress = ap.hostsController ? sources.progress.figures(ap.mac, 'controller') : null;
  const done = ap.predownloadStatus === 'Complete' || ap.predownloadStatus === 'Reloading' || ap.predownloadStatus === 'Joined';
  return {
    name: ap.name,
    mac: ap.mac,
    model: ap.model,
    imageType: ap.imageType,
    role: ap.role,
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
  };
}

export function toApImageReport(aps: AccessPointRecord[], sources: ApImageViewSources): ApImageReport {
  const rows = aps.map((ap) => toApImageRow(ap, sources));
  return { summary: summarizeApImages(rows, (row) => sources.imageFetchedFor(row.imageType)), aps: rows };
}
