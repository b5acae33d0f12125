import type { ApImageRow } from '../apImage';
import { PREDOWNLOAD_ACTIVE } from '../predownloadStatus';
import type { UpgradeView } from '../upgradeStage';
import type { MemberRow } from './history';
import { violation, type Violation } from './violation';

/** What an AP itself holds (its agent's flash), for the APs connected to the console. */
export interface ApOwnWord {
  name: string;
  primaryVersion: string;
  backupVersion: string;
  /** On the AP that hosts the controller: the controller software it boots. */
  controllerPrimaryVersion?: string;
}

export interface RunningFacts {
  upgrade: UpgradeView;
  /** GET /api/ap-image's rows. */
  rows: readonly ApImageRow[];
  members: readonly MemberRow[];
  /** Connected APs whose own images can be compared with their rows. */
  aps: readonly ApOwnWord[];
  /** The check before saw the upgrade ended already: its words were held to its rows then, and are the record of its end now (see HistoryFacts). */
  recordOnly?: boolean;
  /** How many APs were given a download at join since the upgrade ended (see HistoryFacts): they left it, so its words may count up to that many more than its rows. */
  leftSinceEnd?: number;
}

const NETWORK_RUNNING = /Network running (\S+?)[;,.]?(?:\s|$)/;
const CONTROLLER_RUNNING = /controller running (\S+?)[;,.]?(?:\s|$)/;
// "4 of 6 APs run 17.18.1.2; 2 not supported by the release still run 17.12.1.5; controller running …"
const OUTCOME = /(?:^|; )(\d+) of (\d+) APs? runs? (\S+?)(?=;|$)/;
const STILL_RUNNING = /; (\d+) [^;]*? still runs? (\S+?)(?=;|$)/g;
// "Activation aborted: 2 AP(s) run 17.12.1.5, 0 failed, …"
const ABORTED = /Activation aborted: (\d+) AP\(s\) run (\S+?),/;
// The result's words: "Completed", or "Completed on 4 of 6 APs".
const COMPLETED_ON = /^Completed on (\d+) of (\d+) APs?$/;

/**
 * Words that say an AP runs or holds a version are true of that AP: a Joined row runs the version it
 * predownloaded, a Complete row holds it as backup, a row at rest shows the images the AP reports, an
 * upgrade whose result is "Completed" has every one of its APs (excluded ones too) running its version,
 * and the numbers of "Completed on N of M APs", "N of M APs run X; K … still run Y" and "N AP(s) run X"
 * are its rows'. "Runs X" is read here as the row's primary image being X, counted from the rows, not
 * with the console's runsVersion and countUpgradeAps, which made the words: the check is whether the
 * words are what the rows show. An ended upgrade's APs may leave it for a download at join in the same
 * step as it ends: its numbers are then its rows' or up to that many more, as its counts are.
 */
export function runningClaimsAreTrue({ upgrade, rows, members, aps, recordOnly = false, leftSinceEnd = 0 }: RunningFacts): Violation[] {
  const found: Violation[] = [];
  const say = (message: string) => found.push(violation('runningClaims', message));
  for (const row of rows) {
    if (row.predownloadStatus === 'Joined' && row.primaryImage !== row.predownloadVersion) say(`${row.name} is Joined for ${row.predownloadVersion} but runs ${row.primaryImage}`);
    if (row.predownloadStatus === 'Complete' && row.backupImage !== row.predownloadVersion) say(`${row.name} is Complete for ${row.predownloadVersion} but its backup image is ${row.backupImage}`);
  }
  const rowsByName = new Map(rows.map((row) => [row.name, row]));
  for (const ap of aps) {
    const row = rowsByName.get(ap.name);
    if (!row || PREDOWNLOAD_ACTIVE.has(row.predownloadStatus) || row.predownloadStatus === 'Reloading') continue;
    if (row.primaryImage !== ap.primaryVersion || row.backupImage !== ap.backupVersion) {
      say(`${ap.name}'s row shows primary ${row.primaryImage}, backup ${row.backupImage}; the AP holds primary ${ap.primaryVersion}, backup ${ap.backupVersion}`);
    }
  }
  if (upgrade.upgradeId === null || (recordOnly && upgrade.finishedAt !== null)) return found;
  const own = members.filter((row) => row.upgradeId === upgrade.upgradeId);
  const running = (version: string | null) => own.filter((row) => row.primaryImage === version);
  const notRunning = (version: string | null) => own.filter((row) => row.primaryImage !== version).map((row) => `${row.name} runs ${row.primaryImage}`);
  const label = `upgrade ${upgrade.upgradeId}`;
  const left = upgrade.finishedAt !== null ? leftSinceEnd : 0;
  const off = (said: number, rows: number) => said < rows || said > rows + left;
  if (upgrade.result === 'Completed') {
    const behind = notRunning(upgrade.targetVersion);
    if (behind.length > 0) say(`${label} says Completed (${upgrade.targetVersion}) but ${behind.join(', ')}`);
  }
  const partly = upgrade.result ? COMPLETED_ON.exec(upgrade.result) : null;
  if (partly && (off(Number(partly[1]), running(upgrade.targetVersion).length) || off(Number(partly[2]), own.length))) {
    say(`${label} says "${upgrade.result}" (${upgrade.targetVersion}) but ${running(upgrade.targetVersion).length} of its ${own.length} AP(s) run it`);
  }
  const message = upgrade.message ?? '';
  const network = NETWORK_RUNNING.exec(message);
  if (network) {
    const behind = notRunning(network[1]);
    if (behind.length > 0) say(`${label} says "Network running ${network[1]}" but ${behind.join(', ')}`);
  }
  const outcome = OUTCOME.exec(message);
  if (outcome) {
    const [, n, m, version] = outcome;
    if (off(Number(n), running(version).length) || off(Number(m), own.length)) say(`${label} says "${n} of ${m} APs run ${version}" but ${running(version).length} of its ${own.length} AP(s) do`);
    const still = new Map<string, number>();
    for (const [, k, other] of message.matchAll(STILL_RUNNING)) still.set(other, (still.get(other) ?? 0) + Number(k));
    const others = new Map<string, number>();
    for (const row of own) if (row.primaryImage !== version) others.set(row.primaryImage, (others.get(row.primaryImage) ?? 0) + 1);
    for (const other of new Set([...still.keys(), ...others.keys()])) {
      if (off(still.get(other) ?? 0, others.get(other) ?? 0)) say(`${label} says ${still.get(other) ?? 0} AP(s) still run ${other}, but ${others.get(other) ?? 0} of its AP(s) do`);
    }
  }
  const aborted = ABORTED.exec(message);
  if (aborted && off(Number(aborted[1]), running(aborted[2]).length)) say(`${label} says "${aborted[1]} AP(s) run ${aborted[2]}" but ${running(aborted[2]).length} of its AP(s) do`);
  const controller = CONTROLLER_RUNNING.exec(message);
  if (controller && controller[1] !== upgrade.controllerVersion) say(`${label} says "controller running ${controller[1]}" but the controller runs ${upgrade.controllerVersion}`);
  return found;
}
