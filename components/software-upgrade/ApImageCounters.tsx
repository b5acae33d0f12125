import { useTranslations } from 'next-intl';
import { AP_IMAGE_COUNTERS, type ApImageSummary } from '@/lib/apImage';

const COUNTERS: ReadonlyArray<keyof ApImageSummary> = ['totalAps', ...AP_IMAGE_COUNTERS.map((counter) => counter.key), 'predownloadInProgress'];

/** The header of `show ap image`, in its order and words, then the statuses IOS does not count: together they add up to the total. */
export function ApImageCounters({ summary }: { summary: ApImageSummary | null }) {
  const t = useTranslations('counters');
  const display = (value: number | boolean | undefined): string => {
    if (value === undefined) return '—';
    if (typeof value === 'boolean') return t(value ? 'yes' : 'no');
    return String(value);
  };
  return (
    <dl className="counters">
      {COUNTERS.map((key) => {
        const value = summary?.[key];
        const alarming = key === 'failedToPredownload' && typeof value === 'number' && value > 0;
        return (
          <div key={key} className={alarming ? 'counter counter-alarm' : 'counter'}>
            <dt>{t(key)}</dt>
            <dd data-testid={`summary-${key}`}>{display(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
