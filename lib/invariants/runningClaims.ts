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
}

export interface RunningFacts {
  upgrade: UpgradeView;
  /** GET /api/ap-image's rows. */
  rows: readonly ApImageRow[];
  members: readonly MemberRow[];
  /** Connected APs whose own images can be compared with their rows. */
  aps: readonly ApOwnWord[];
}

const NETWORK_RUNNING = /Network running (\S+?)[;,.]?(?:\s|$)/;
const CONTROLLER_RUNNING = /controller running (\S+?)[;,.]?(?:\s|$)/;

/**
 * Words that say an AP runs or holds a version are true of that AP: a Joined row runs the version it
 * predownloaded, a Complete row holds it as backup, a row at rest shows the images the AP reports, and
 * an upgrade that says Completed or "Network running X" has every one of its APs running X.
 */
export function runningClaimsAreTrue({ upgrade, rows, members, aps }: RunningFacts): Violation[] {
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
  if (upgrade.upgradeId === null) return found;
  const own = members.filter((row) => row.upgradeId === upgrade.upgradeId);
  const notRunning = (version: string | null, rowsToCheck: readonly MemberRow[]) =>
    rowsToCheck.filter((row) => row.primaryImage !== version).map((row) => `${row.name} runs ${row.primaryImage}`);
  if (upgrade.stage === 'Completed') {
    const behind = notRunning(upgrade.targetVersion, own.filter((row) => !row.activationExcluded));
    if (behind.length > 0) say(`upgrade ${upgrade.upgradeId} says Completed (${upgrade.targetVersion}) but ${behind.join(', ')}`);
  }
  const network = upgrade.message ? NETWORK_RUNNING.exec(upgrade.message) : null;
  if (network) {
    const behind = notRunning(network[1], own);
    if (behind.length > 0) say(`upgrade ${upgrade.upgradeId} says "Network running ${network[1]}" but ${behind.join(', ')}`);
  }
  const controller = upgrade.message ? CONTROLLER_RUNNING.exec(upgrade.message) : null;
  if (controller && controller[1] !== upgrade.controllerVersion) say(`upgrade ${upgrade.upgradeId} says "controller running ${controller[1]}" but the controller runs ${upgrade.controllerVersion}`);
  return found;
}
