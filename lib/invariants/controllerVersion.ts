import type { ApImageRow } from '../apImage';
import type { UpgradeView } from '../upgradeStage';
import type { ApOwnWord } from './runningClaims';
import { violation, type Violation } from './violation';

export interface ControllerFacts {
  /** GET /api/software-upgrade: its controllerVersion is what show version, the stage panel and the end sentence say. */
  upgrade: Pick<UpgradeView, 'controllerVersion'>;
  /** GET /api/ap-image's rows. */
  rows: readonly Pick<ApImageRow, 'name' | 'hostsController' | 'predownloadStatus'>[];
  /** Connected APs' own word: the AP hosting the controller names the controller software it boots. */
  aps: readonly ApOwnWord[];
}

/**
 * The controller is software on the AP that hosts it, so the version the console says the controller runs is
 * the controller software that AP holds as its primary image, by the AP's own word, whatever an activation
 * reloaded or left out. Checked of a hosting AP that is connected and not Reloading: one told to reload has
 * swapped its images and says so only when it joins again. With no AP hosting the controller there is no AP
 * to hold it to (the version then stays what it was: no AP receives the controller image).
 */
export function controllerVersionIsTrue({ upgrade, rows, aps }: ControllerFacts): Violation[] {
  const rowsByName = new Map(rows.map((row) => [row.name, row]));
  return aps.flatMap((ap) => {
    const row = rowsByName.get(ap.name);
    if (!row?.hostsController || row.predownloadStatus === 'Reloading' || !ap.controllerPrimaryVersion || ap.controllerPrimaryVersion === upgrade.controllerVersion) return [];
    return [
      violation('controllerVersion', `the console says the controller runs ${upgrade.controllerVersion}, but ${ap.name}, which hosts it, runs controller software ${ap.controllerPrimaryVersion}`),
    ];
  });
}
