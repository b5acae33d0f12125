import type { ApImageRow } from '../apImage';
import type { SyslogLine } from '../syslog';
import { violation, type Violation } from './violation';

/** An AP that joined (the first time or again) running `ran`, and what the console held at that moment. */
export interface Joiner {
  name: string;
  ran: string;
  /** The AP image the AP hosting the controller ran (its row's primary image): the controller's own AP version. */
  controllerVersion: string | null;
  /** Whether an image download profile had been saved: without one the EWC gives nothing and says nothing. */
  profileSaved: boolean;
  /** A predownload was under way (Initiate to Network Upgrade): it handles the APs that join. */
  predownloadUnderWay: boolean;
  /** Its row was Reloading: it came back from a reload the console ordered, whose rules judge it. */
  wasReloading: boolean;
  /** The newest upgrade when it joined (null: none yet). */
  upgradeAtJoin: number | null;
  /** The newest upgrade had ended (Completed, Cancelled, Failed, Superseded): its APs are like any other. */
  upgradeEnded: boolean;
}

export interface JoinFacts {
  joiner: Joiner;
  /** Its row once the console rested after the join. */
  row: ApImageRow | undefined;
  /** The log's lines since it joined, oldest first. */
  lines: readonly SyslogLine[];
  /** The upgrade its row belongs to now (the store's): a predownload started since (a schedule came due) takes it. */
  upgradeIdNow: number | null;
  /** The controller's AP version now: an activation that ended since the join changed it, and the download gives the new one. */
  controllerVersionNow?: string | null;
}

const STARTED = /Image Download at join: the AP runs (\S+), the controller (\S+);/;
// An AP that joins again during its own download at join: that download goes on.
const GOES_ON = /Image Download at join goes on: /;
const KEPT_BY_UPGRADE = /No image download at join: the AP is part of upgrade (\d+)/;
const SETTLED = new Set(['Joined', 'Failed', 'NotSupported']);

/**
 * An AP that joins running another AP image than the controller's, while an image download profile is
 * saved and no predownload claims it (one under way, or one that started since), is given the controller's version at join, or the log says why not
 * (`No image download at join: …`; being an AP of an upgrade that ended is no reason), or that its download at join under way goes on; never silence. Once the console rests, a download at join has ended:
 * *Joined* running the controller's version, *Failed* or *Not Supported* with its reason in the row, or
 * stopped by a predownload that took the AP (`Image Download Aborted`). An AP that runs the controller's
 * version is given nothing.
 */
export function joinDownloadIsTrue({ joiner, row, lines, upgradeIdNow, controllerVersionNow = joiner.controllerVersion }: JoinFacts): Violation[] {
  const found: Violation[] = [];
  const say = (message: string) => found.push(violation('joinDownload', `${joiner.name} joined running ${joiner.ran} (controller ${joiner.controllerVersion ?? 'unknown'}): ${message}`));
  if (!row) {
    say('it has no row');
    return found;
  }
  const about = lines.filter((line) => line.text.includes(`AP Name: ${joiner.name} `));
  const started = about.map((line) => STARTED.exec(line.text)).find((match) => match !== null);
  const goesOn = about.some((line) => GOES_ON.test(line.text));
  if (joiner.ran === joiner.controllerVersion) {
    if (started) say(`it was given an image at join (${started[0]}) although it runs the controller's version`);
    return found;
  }
  const takenBySince = upgradeIdNow !== null && upgradeIdNow !== joiner.upgradeAtJoin;
  if (started || goesOn) {
    const given = started?.[2] ?? joiner.controllerVersion;
    if (started && (started[1] !== joiner.ran || (given !== joiner.controllerVersion && given !== controllerVersionNow))) say(`the log says "${started[0]}"`);
    // A predownload that started since takes the AP (stopping its download, or once it joined again on the controller's version).
    if (takenBySince || about.some((line) => line.text.includes('Image Download Aborted'))) return found;
    if (!SETTLED.has(row.predownloadStatus)) say(`its download at join started, and its row still says ${row.predownloadStatus} once the console rested`);
    else if (row.predownloadStatus === 'Joined' && row.primaryImage !== given) say(`its row says Joined running ${row.primaryImage}, the controller runs ${given}`);
    else if (row.predownloadStatus !== 'Joined' && !row.lastError) say(`its row says ${row.predownloadStatus} with no reason`);
    return found;
  }
  const kept = about.map((line) => KEPT_BY_UPGRADE.exec(line.text)).find((match) => match !== null);
  // An upgrade under way keeps its APs (their rows are its progress); one that ended is history, and its APs join as any AP does.
  if (kept && joiner.upgradeEnded) say(`it was given no image because it "is part of upgrade ${kept[1]}", which had ended`);
  const refused = about.some((line) => line.text.includes('No image download at join:'));
  if (refused || !joiner.profileSaved || joiner.predownloadUnderWay || takenBySince || joiner.wasReloading) return found;
  say(`a profile is saved and no predownload runs, yet it was given no image and the log says nothing of it (its row says ${row.predownloadStatus})`);
  return found;
}
