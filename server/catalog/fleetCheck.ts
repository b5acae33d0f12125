import os from 'node:os';
import { compareVersions, type CatalogCheckResult, type CatalogRelease, type FirmwareCheckRequest, type FirmwareCheckResponse } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';

type CheckedImageType = FirmwareCheckResponse['imageTypes'][number];

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
}

/** The fleet by image type, in name order: the unit a firmware check and a download work in. */
export function fleetByImageType(aps: readonly AccessPointRecord[]): Map<string, AccessPointRecord[]> {
  const groups = new Map<string, AccessPointRecord[]>();
  for (const ap of [...aps].sort((a, b) => a.imageType.localeCompare(b.imageType) || a.name.localeCompare(b.name))) {
    groups.set(ap.imageType, [...(groups.get(ap.imageType) ?? []), ap]);
  }
  return groups;
}

/**
 * What the controller tells the catalog: its identity and running version, and for each image
 * type one AP's serial, MAC and model with the version that type runs. The simulated APs
 * have no serial number, so their name stands in for it.
 */
export function firmwareCheckRequest(aps: readonly AccessPointRecord[], controllerVersion: string): FirmwareCheckRequest {
  return {
    controller: { name: os.hostname().slice(0, 64), version: controllerVersion },
    imageTypes: [...fleetByImageType(aps)].map(([imageType, group]) => ({
      imageType,
      runningVersion: mostCommon(group.map((ap) => ap.primaryImage)),
      ap: { serial: group[0].name, mac: group[0].mac, model: group[0].model },
    })),
  };
}

/** The release a choice (`recommended`, `latest` or a version) picks for one image type. */
export function chosenRelease(entry: CheckedImageType, choice: string): CatalogRelease | null {
  if (choice === 'recommended') return entry.recommended;
  if (choice === 'latest') return entry.latest;
  return entry.releases.find((r) => r.version === choice) ?? null;
}

/** One version for the whole network, as the EWC installs one bundle: the newest any image type's choice names. */
export function targetVersion(answer: FirmwareCheckResponse, choice: string): string | null {
  const versions = answer.imageTypes.map((entry) => chosenRelease(entry, choice)?.version).filter((v): v is string => !!v);
  return versions.sort((a, b) => compareVersions(b, a))[0] ?? null;
}

/** The check as the page shows it: per image type present in the fleet, what runs and what the catalog offers. */
export function summarizeCheck(catalogUrl: string, aps: readonly AccessPointRecord[], answer: FirmwareCheckResponse, checkedAt: string): CatalogCheckResult {
  const offered = new Map(answer.imageTypes.map((entry) => [entry.imageType, entry]));
  const imageTypes = [...fleetByImageType(aps)].map(([imageType, group]) => {
    const entry = offered.get(imageType);
    const runningVersion = mostCommon(group.map((ap) => ap.primaryImage));
    const latest = entry?.latest ?? null;
    const summary = (release: CatalogRelease | null) => (release ? { version: release.version, size: release.image.size } : null);
    let note: string | null = null;
    if (!latest) note = `Not Supported: the catalog has no release for image type ${imageType}`;
    else if (compareVersions(runningVersion, latest.version) >= 0) note = `Already running the latest release ${latest.version}`;
    return {
      imageType,
      models: [...new Set(group.map((ap) => ap.model))].sort(),
      apCount: group.length,
      runningVersion,
      latest: summary(latest),
      recommended: summary(entry?.recommended ?? null),
      note,
    };
  });
  const newer = imageTypes.filter((t) => t.latest && compareVersions(t.latest.version, t.runningVersion) > 0);
  const versions = (pick: 'latest' | 'recommended') => [...new Set(imageTypes.map((t) => t[pick]?.version).filter(Boolean))].join(', ');
  let message: string;
  if (imageTypes.length === 0) message = 'No AP has joined: nothing to check.';
  else if (newer.length === 0) message = 'Already running the latest release for every image type.';
  else message = `New version available: latest ${versions('latest')}, recommended ${versions('recommended') || 'none'}, for ${newer.length} of ${imageTypes.length} image types.`;
  return { checkedAt, catalogUrl, imageTypes, message, certificate: null, ok: true };
}
