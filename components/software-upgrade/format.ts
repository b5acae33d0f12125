import type { useFormatter } from 'next-intl';
import { formatClock } from '@/lib/dateTime';

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `hh:mm:ss`, as `show ap image` prints an ETA; an unknown ETA reads as zero there too. */
export function formatEta(seconds: number | null): string {
  const total = seconds !== null && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  return `${pad2(Math.floor(total / 3600))}:${pad2(Math.floor((total % 3600) / 60))}:${pad2(total % 60)}`;
}

export function formatEtaPercent(seconds: number | null, percent: number): string {
  return `${formatEta(seconds)} ${Math.round(percent)}%`;
}

/** The time of day of the next retry (it is minutes away), or `0` when none is scheduled, as the CLI prints it. */
export function formatRetryTime(iso: string | null): string {
  return iso ? formatClock(iso) : '0';
}

type NumberFormatter = Pick<ReturnType<typeof useFormatter>, 'number'>;

/** `12.3 MB`, `12,3 Mo`, `12.3MB`: decimal megabytes (10^6 bytes) in the page's language. */
export function formatMegabytes(format: NumberFormatter, bytes: number, digits = 1): string {
  return format.number(bytes / 1e6, { style: 'unit', unit: 'megabyte', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Fraction digits for the rate chart's ticks (0, half its top, its top, in MB/s): enough that the half
 * prints exactly, so a top of 0.1 MB/s reads 0.00 / 0.05 / 0.10, never 0.0 / 0.1 / 0.1.
 */
export function rateTickDigits(topBytesPerSecond: number): number {
  const half = topBytesPerSecond / 2 / 1e6;
  for (let digits = 0; digits < 6; digits += 1) {
    const scaled = half * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) return digits;
  }
  return 6;
}

/** `1.25 MB/s` (two digits under 1 MB/s, where one would read as nothing) in the page's language. */
export function formatRate(format: NumberFormatter, bytesPerSecond: number): string {
  const digits = bytesPerSecond < 1e6 ? 2 : 1;
  return format.number(bytesPerSecond / 1e6, { style: 'unit', unit: 'megabyte-per-second', minimumFractionDigits: digits, maximumFractionDigits: digits });
}
