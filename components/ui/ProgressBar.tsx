import { cx } from './cx';

export interface ProgressBarProps {
  /** 0-100; clamped, since a late or rounded report must not overflow the bar. */
  value: number;
  /** What the bar measures, for assistive technology. */
  label: string;
  /** The text shown beside the bar. */
  text: string;
  tone?: 'info' | 'success' | 'danger';
}

export function ProgressBar({ value, label, text, tone = 'info' }: ProgressBarProps) {
  const clamped = Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
  return (
    <span className="progress">
      <span className={cx('progress-track', `progress-${tone}`)} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped)}>
        <span className="progress-fill" style={{ width: `${clamped}%` }} />
      </span>
      <span className="progress-text">{text}</span>
    </span>
  );
}
