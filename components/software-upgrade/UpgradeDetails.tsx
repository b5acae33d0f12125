import { UPGRADE_STAGE_LABEL, type ImageFetchProgress, type UpgradeView } from '@/lib/upgradeStage';
import { cx } from '@/components/ui/cx';
import { ProgressBar } from '@/components/ui/ProgressBar';
import { BundleApprovalRequest } from './BundleApprovalRequest';

const MB = 1_000_000;

function fetchPercent({ bytes, totalBytes }: ImageFetchProgress): number {
  return totalBytes ? (bytes / totalBytes) * 100 : 0;
}

function fetchText(fetch: ImageFetchProgress): string {
  const done = `${(fetch.bytes / MB).toFixed(1)} MB`;
  return fetch.totalBytes ? `${done} of ${(fetch.totalBytes / MB).toFixed(1)} MB` : done;
}

function orDash(value: string | null | undefined): string {
  return value ? value : '—';
}

/** The facts an engineer checks before pressing Activate: what runs now and what will run after. */
export function UpgradeDetails({ upgrade, canChange }: { upgrade: UpgradeView | null; canChange: boolean }) {
  return (
    <div className="upgrade-details">
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="upgrade-stage">{upgrade ? (upgrade.result ?? UPGRADE_STAGE_LABEL[upgrade.stage]) : '—'}</dd>
        </div>
        <div>
          <dt>Target Version</dt>
          <dd data-testid="upgrade-target-version">{orDash(upgrade?.targetVersion)}</dd>
        </div>
        <div>
          <dt>Controller Version</dt>
          <dd data-testid="upgrade-controller-version">{orDash(upgrade?.controllerVersion)}</dd>
        </div>
        <div>
          <dt>Target Controller Version</dt>
          <dd data-testid="upgrade-target-controller-version">{orDash(upgrade?.targetControllerVersion)}</dd>
        </div>
      </dl>
      {upgrade?.deliveries && (
        <p className="delivery-slots" data-testid="delivery-slots">
          Delivering to {upgrade.deliveries.active} AP(s) at once (at most {upgrade.deliveries.limit}); {upgrade.deliveries.waiting} waiting for a slot
        </p>
      )}
      {upgrade && upgrade.fetches.length > 0 && (
        <ul className="fetch-list" aria-label="From the image server">
          {upgrade.fetches.map((fetch) => (
            <li key={fetch.fileName} data-testid="fetch-progress" data-file={fetch.fileName}>
              <span className="fetch-url">{fetch.url}</span>
              <ProgressBar value={fetchPercent(fetch)} label={`Fetching ${fetch.fileName} from the image server`} text={fetchText(fetch)} />
            </li>
          ))}
        </ul>
      )}
      {upgrade?.bundleApproval && <BundleApprovalRequest approval={upgrade.bundleApproval} canChange={canChange} />}
      {upgrade?.message && (
        <p className={cx('upgrade-message', `upgrade-message-${upgrade.state}`)} data-testid="upgrade-message">
          {upgrade.message}
        </p>
      )}
    </div>
  );
}
