/**
 * What the console says must be so. Each rule below is a pure function over what the surfaces said at
 * one moment; the model-based test (server/model/) drives random command sequences against a real
 * console, real AP agents and a real image server, and checks every rule after every step.
 *
 * - countersAddUp (counters.ts): the counters of show ap image, the page and GET /api/ap-image add up to
 *   Total number of APs (no AP counted twice or left out; show ap image prints IOS's counters only), and
 *   the counters of each status equal the rows in that status.
 * - predownloadInProgress (counters.ts): "Predownload in progress" is Yes exactly while the upgrade is at
 *   Initiate, Controller Image Download, AP Image Download or Network Upgrade.
 * - surfacesAgree (surfaces.ts, retryLog.ts): the page, show ap image and GET /api/ap-image show the same
 *   counters and, for each AP, the same images, status, version, retry count, next retry (show ap image's
 *   seconds held to the API's time) and method; a failed AP's retry is the one its last failure line announced.
 * - profileFieldsNamed (profileFields.ts): a profile field (TFTP and SFTP server, path and port counted
 *   apart) changes only when a save names it: the page's form names what it sends, a CLI session the
 *   lines typed, an API body its fields, anything else nothing.
 * - historyAgrees (history.ts): an upgrade has an end time exactly when it ended (Superseded too, naming
 *   the newer upgrade), only the newest may be under way, its counts add up and are its rows', the newest
 *   reads as GET /api/software-upgrade does, and "Failed APs" counts its failed APs.
 * - runningClaims (runningClaims.ts): Joined, Complete, a result of Completed (or "Completed on N of M
 *   APs"), "N of M APs run X" and a row's images are true of the APs they speak of.
 * - controllerVersion (controllerVersion.ts): the version the console says the controller runs (the API, show
 *   version, the end sentence) is the controller software the AP hosting it holds as primary, by its own word.
 * - verifyClaims (verifyClaims.ts): "verify success" is said only of images a vendor signature vouched for.
 * - resumeFigures (resumeFigures.ts): a transfer that waits to resume has no ETA and belongs to an AP still owed
 *   its image; its percent is the last count the AP acknowledged before a restart or takeover only while the AP
 *   is not connected (once it rejoins, what it says it holds replaces that count).
 * - joinDownload (joinDownload.ts): an AP that joins running another AP image than the controller's, with a
 *   profile saved and no predownload under way, is given the controller's version (once the console rests,
 *   Joined running it, or Failed or Not Supported with why) or the log says why not. Checked of each AP the
 *   model starts on a version of its choosing, at rest after that step.
 */
import type { ApImageReport } from '../apImage';
import type { SyslogLine } from '../syslog';
import type { UpgradeHistoryEntry } from '../upgradeHistory';
import type { UpgradeView } from '../upgradeStage';
import { controllerVersionIsTrue } from './controllerVersion';
import { countersAddUp, predownloadInProgressIsTrue } from './counters';
import { historyAgrees, type MemberRow } from './history';
import { profileFieldsNamed } from './profileFields';
import { resumeFiguresAreTrue } from './resumeFigures';
import { retriesAgreeWithLog } from './retryLog';
import { runningClaimsAreTrue, type ApOwnWord } from './runningClaims';
import { surfacesAgree } from './surfaces';
import type { SurfaceView } from './surfaceView';
import { verifyClaimsAreTrue, type BundleFact } from './verifyClaims';
import type { Violation } from './violation';

export * from './violation';
export type { SurfaceRow, SurfaceSummary, SurfaceView } from './surfaceView';
export { AP_COUNTERS, COUNTER_STATUS, countersAddUp, predownloadInProgressIsTrue } from './counters';
export { surfacesAgree } from './surfaces';
export { retriesAgreeWithLog } from './retryLog';
export { resumeFiguresAreTrue } from './resumeFigures';
export { FIELD_FOLLOWS, fieldsChangedUnnamed, namedFieldPaths, profileFieldsNamed } from './profileFields';
export { hasEnded, historyAgrees, type HistoryFacts, type MemberRow } from './history';
export { runningClaimsAreTrue, type ApOwnWord, type RunningFacts } from './runningClaims';
export { controllerVersionIsTrue, type ControllerFacts } from './controllerVersion';
export { claimsSignatureVerified, verifyClaimsAreTrue, type BundleFact } from './verifyClaims';
export { joinDownloadIsTrue, type JoinFacts, type Joiner } from './joinDownload';

/** Everything the surfaces said at one moment, and what the checker knows beside it. */
export interface ConsoleObservation {
  /** GET /api/software-upgrade. */
  upgrade: UpgradeView;
  /** GET /api/ap-image, every AP. */
  apImage: ApImageReport;
  /** The same moment as each surface shows it; the first is the reference the others are compared with. */
  surfaces: readonly SurfaceView[];
  /** GET /api/upgrades, newest first. */
  history: readonly UpgradeHistoryEntry[];
  members: readonly MemberRow[];
  /** Whether `members` holds each AP's upgrade as of now (the store caught up with the rows). */
  membersCurrent: boolean;
  failedWhenCancelled: number | null;
  /** The newest upgrade as the check before saw it, if it had ended then: its counts and words are the record of its end. */
  endedBefore?: UpgradeHistoryEntry | null;
  /** The connected APs' own images (each AP agent's flash). */
  aps: readonly ApOwnWord[];
  /** GET /api/syslog, oldest first. */
  syslog: readonly SyslogLine[];
  /** The bundles the image server holds. */
  bundles: readonly BundleFact[];
  /** The profile read now (GET /api/image-download-profile), as read at the check before, and the fields saves named since. */
  profile: { observed: object; before: object; named: ReadonlySet<string> };
}

/** How many APs were given a download at join since `finishedAt` (by the log's words): APs of that upgrade may be among them. */
function leftSince(lines: readonly SyslogLine[], finishedAt: string | null): number {
  if (finishedAt === null) return 0;
  const names = new Set<string>();
  for (const line of lines) {
    const joiner = / AP Name: (\S+) Mac: \S+ Image Download at join: /.exec(line.text);
    if (joiner && Date.parse(line.time) >= Date.parse(finishedAt)) names.add(joiner[1]);
  }
  return names.size;
}

/** Every rule, on one observation. */
export function consoleInvariants(observation: ConsoleObservation): Violation[] {
  const { upgrade, apImage, surfaces, profile } = observation;
  const [reference, ...others] = surfaces;
  const leftSinceEnd = leftSince(observation.syslog, observation.history[0]?.finishedAt ?? null);
  return [
    ...surfaces.flatMap((surface) => [...countersAddUp(surface), ...predownloadInProgressIsTrue(surface, upgrade.stage)]),
    ...others.flatMap((surface) => surfacesAgree(reference, surface)),
    ...retriesAgreeWithLog(apImage.aps, observation.syslog),
    ...resumeFiguresAreTrue(apImage.aps),
    ...profileFieldsNamed(profile.before, profile.observed, profile.named),
    ...historyAgrees({
      entries: observation.history,
      upgrade,
      members: observation.members,
      membersCurrent: observation.membersCurrent,
      failedWhenCancelled: observation.failedWhenCancelled,
      endedBefore: observation.endedBefore,
      leftSinceEnd,
    }),
    ...runningClaimsAreTrue({ upgrade, rows: apImage.aps, members: observation.members, aps: observation.aps, recordOnly: observation.endedBefore?.id === upgrade.upgradeId, leftSinceEnd }),
    ...controllerVersionIsTrue({ upgrade, rows: apImage.aps, aps: observation.aps }),
    ...verifyClaimsAreTrue(observation.syslog, observation.bundles),
  ];
}
