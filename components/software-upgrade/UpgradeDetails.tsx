import { useFormatter, useTranslations } from 'next-intl';
import { formatMegabytes } from './format';
import type { ImageFetchProgress, UpgradeView } from '@/lib/upgradeStage';
import { useStageResultText } from './useStageResultText';
import { useServerSentence } from '@/components/ui/useServerSentence';
import { cx } from '@/components/ui/cx';
import { ProgressBar } from '@/components/ui/ProgressBar';
import { BundleApprovalRequest } from './BundleApprovalRequest';

function fetchPercent({ bytes, totalBytes }: ImageFetchProgress): number {
  return totalBytes ? (bytes / totalBytes) * 100 : 0;
}

function orDash(value: string | null | undefined): string {
  return value ? value : '—';
}

/** The facts an engineer checks before pressing Activate: what runs now and what will run after. */
export function UpgradeDetails({ upgrade, canChange }: { upgrade: UpgradeView | null; canChange: boolean }) {
  const t = useTranslations('upgradeDetails');
  const resultText = useStageResultText();
  const say = useServerSentence();
  const format = useFormatter();
  const fetchText = (fetch: ImageFetchProgress) => {
    const done = formatMegabytes(format, fetch.bytes);
    return fetch.totalBytes ? t('fetchOf', { done, total: formatMegabytes(format, fetch.totalBytes) }) : done;
  };
  return (
    <div className="upgrade-details">
      <dl className="facts">
        <div>
          <dt>{t('status')}</dt>
          <dd data-testid="upgrade-stage">{upgrade ? resultText(upgrade.stage, upgrade.result, upgrade.resultSentence) : '—'}</dd>
        </div>
        <div>
          <dt>{t('targetVersion')}</dt>
          <dd data-testid="upgrade-target-version">{orDash(upgrade?.targetVersion)}</dd>
        </div>
        <div>
          <dt>{t('controllerVersion')}</dt>
          <dd data-testid="upgrade-controller-version">{orDash(upgrade?.controllerVersion)}</dd>
        </div>
        <div>
          <dt>{t('targetControllerVersion')}</dt>
          <dd data-testid="upgrade-target-controller-version">{orDash(upgrade?.targetControllerVersion)}</dd>
        </div>
      </dl>
      {upgrade?.deliveries && (
        <p className="delivery-slots" data-testid="delivery-slots">
          {t('deliveries', upgrade.deliveries)}
        </p>
      )}
      {upgrade && upgrade.fetches.length > 0 && (
        <ul className="fetch-list" aria-label={t('fetches')}>
          {upgrade.fetches.map((fetch) => (
            <li key={fetch.fileName} data-testid="fetch-progress" data-file={fetch.fileName}>
              <span className="fetch-url">{fetch.url}</span>
              <ProgressBar value={fetchPercent(fetch)} label={t('fetching', { file: fetch.fileName })} text={fetchText(fetch)} />
            </li>
          ))}
        </ul>
      )}
      {upgrade?.bundleApproval && <BundleApprovalRequest approval={upgrade.bundleApproval} canChange={canChange} />}
      {upgrade?.message && (
        <p className={cx('upgrade-message', `upgrade-message-${upgrade.state}`)} data-testid="upgrade-message">
          {say(upgrade.messageSentence, upgrade.message)}
        </p>
      )}
    </div>
  );
}
