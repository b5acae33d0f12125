import { AP_IMAGE_COUNTERS, type ApImageSummary } from '@/lib/apImage';

const COUNTERS: ReadonlyArray<{ key: keyof ApImageSummary; label: string }> = [
  { key: 'totalAps', label: 'Total number of APs' },
  ...AP_IMAGE_COUNTERS,
  { key: 'predownloadInProgress', label: 'Predownload in progress' },
];

function display(value: number | boolean | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** The header of `show ap image`, in its order and words, then the statuses IOS does not count: together they add up to the total. */
export function ApImageCounters({ summary }: { summary: ApImageSummary | null }) {
  return (
    <dl className="counters">
      {COUNTERS.map(({ key, label }) => {
        const value = summary?.[key];
        const alarming = key === 'failedToPredownload' && typeof value === 'number' && value > 0;
        return (
          <div key={key} className={alarming ? 'counter counter-alarm' : 'counter'}>
            <dt>{label}</dt>
            <dd data-testid={`summary-${key}`}>{display(value)}</dd>
          </div>
        );
      })}
    </dl>
  );
}
