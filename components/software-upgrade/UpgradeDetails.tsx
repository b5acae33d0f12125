import { UPGRADE_STAGE_LABEL, type UpgradeView } from '@/lib/upgradeStage';
import { cx } from '@/components/ui/cx';

function orDash(value: string | null | undefined): string {
  return value ? value : '—';
}

/** The facts an engineer checks before pressing Activate: what runs now and what will run after. */
export function UpgradeDetails({ upgrade }: { upgrade: UpgradeView | null }) {
  return (
    <div className="upgrade-details">
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd data-testid="upgrade-stage">{upgrade ? UPGRADE_STAGE_LABEL[upgrade.stage] : '—'}</dd>
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
      {upgrade?.message && (
        <p
          className={cx('upgrade-message', `upgrade-message-${upgrade.state}`)}
          data-testid="upgrade-message"
        >
          {upgrade.message}
        </p>
      )}
    </div>
  );
}
