import os from 'node:os';
import { compareVersions, type CatalogCheckResult, type CatalogRelease, type FirmwareCheckRequest, type FirmwareCheckResponse } from '../../lib/firmwareCatalog';
import { englishOf, sentence, sentenceItem, type SentenceItem } from '../../lib/serverSentences';
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
 * What the controller tells the catalog in the body: its name and running version, and for each image
 * type one AP's serial, MAC and model with the version that type runs. `serialOf` gives an AP's serial
 * (controllerIdentity.ts); without one, as for an AP no authorization list holds, its name stands in.
 */
export function firmwareCheckRequest(aps: readonly AccessPointRecord[], controllerVersion: string, serialOf: (ap: AccessPointRecord) => string = (ap) => ap.name): FirmwareCheckRequest {
  return {
    controller: { name: os.hostname().slice(0, 64), version: controllerVersion },
    imageTypes: [...fleetByImageType(aps)].map(([imageType, group]) => ({
      imageType,
      runningVersion: mostCommon(group.map((ap) => ap.primaryImage)),
      ap: { serial: serialOf(group[0]), mac: group[0].mac, model: group[0].model },
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

type CheckRow = CatalogCheckResult['imageTypes'][number];

/** One image type's status: what it runs against the latest release the catalog offered for it. */
function imageTypeNote(imageType: string, runningVersion: string, latest: { version: string } | null): Pick<CheckRow, 'note' | 'noteSentence'> {
  const said = !latest ? sentence('noteNotSupported', { imageType }) : compareVersions(runningVersion, latest.version) >= 0 ? sentence('noteLatest', { version: latest.version }) : null;
  return { note: said && englishOf(said), noteSentence: said };
}

/** The panel's sentence for the image types the catalog answered about. */
function checkMessage(imageTypes: readonly CheckRow[]): Pick<CatalogCheckResult, 'message' | 'messageSentence'> {
  const newer = imageTypes.filter((t) => t.latest && compareVersions(t.latest.version, t.runningVersion) > 0);
  const versions = (pick: 'latest' | 'recommended') => [...new Set(imageTypes.map((t) => t[pick]?.version).filter(Boolean))].join(', ');
  const counts = { latest: versions('latest'), newer: newer.length, total: imageTypes.length };
  const recommended = versions('recommended');
  const said =
    imageTypes.length === 0
      ? sentence('catalogNoAp')
      : newer.length === 0
        ? sentence('catalogUpToDate')
        : recommended
          ? sentence('catalogNewVersion', { ...counts, recommended })
          : sentence('catalogNewVersionNoRecommended', counts);
  return { message: englishOf(said), messageSentence: said };
}

function fleetColumns(group: readonly AccessPointRecord[]) {
  return { models: [...new Set(group.map((ap) => ap.model))].sort(), apCount: group.length, runningVersion: mostCommon(group.map((ap) => ap.primaryImage)) };
}

/** The check as the page shows it: per image type present in the fleet, what runs and what the catalog offers. */
export function summarizeCheck(catalogUrl: string, aps: readonly AccessPointRecord[], answer: FirmwareCheckResponse, checkedAt: string): CatalogCheckResult {
  const offered = new Map(answer.imageTypes.map((entry) => [entry.imageType, entry]));
  const imageTypes = [...fleetByImageType(aps)].map(([imageType, group]) => {
    const entry = offered.get(imageType);
    const columns = fleetColumns(group);
    const summary = (release: CatalogRelease | null) => (release ? { version: release.version, size: release.image.size } : null);
    const latest = summary(entry?.latest ?? null);
    return { imageType, ...columns, latest, recommended: summary(entry?.recommended ?? null), ...imageTypeNote(imageType, columns.runningVersion, latest) };
  });
  return { checkedAt, catalogUrl, imageTypes, ...checkMessage(imageTypes), certificate: null, ok: true, fleetChanged: null, fleetChangedSentence: null };
}

/**
 * The last check against the fleet as it is now: an upgrade (or an AP joining or leaving) since the
 * check changes what runs, so the statuses are worked out again from the releases the catalog offered
 * then, and `fleetChanged` says what changed. An image type the check never asked about has no releases.
 */
export function recomputeCheck(stored: CatalogCheckResult, aps: readonly AccessPointRecord[]): CatalogCheckResult {
  if (!stored.ok || stored.checkedAt === null) return stored;
  const before = new Map(stored.imageTypes.map((row) => [row.imageType, row]));
  const changes: SentenceItem[] = [];
  const checked: CheckRow[] = [];
  const imageTypes = [...fleetByImageType(aps)].map(([imageType, group]): CheckRow => {
    const columns = fleetColumns(group);
    const row = before.get(imageType);
    if (!row) {
      changes.push(sentenceItem('fleetTypeJoined', { imageType }));
      const joined = sentence('noteJoinedAfterCheck');
      return { imageType, ...columns, latest: null, recommended: null, note: englishOf(joined), noteSentence: joined };
    }
    before.delete(imageType);
    if (row.runningVersion !== columns.runningVersion) changes.push(sentenceItem('fleetTypeRuns', { imageType, version: columns.runningVersion, before: row.runningVersion }));
    const now = { ...row, ...columns, ...imageTypeNote(imageType, columns.runningVersion, row.latest) };
    checked.push(now);
    return now;
  });
  for (const imageType of before.keys()) changes.push(sentenceItem('fleetTypeLeft', { imageType }));
  const sameApCounts = checked.every((row) => row.apCount === stored.imageTypes.find((old) => old.imageType === row.imageType)?.apCount);
  if (changes.length === 0 && sameApCounts) return stored;
  const fleetChangedSentence = changes.length > 0 ? sentence('fleetChanged', { changes }) : sentence('fleetChangedApCounts');
  return { ...stored, imageTypes, ...checkMessage(checked), fleetChanged: englishOf(fleetChangedSentence), fleetChangedSentence };
}
