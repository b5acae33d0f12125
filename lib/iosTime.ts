const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * IOS-XE's syslog timestamp, `*Feb  1 17:05:37.108`, in UTC: the month's abbreviation, the day padded
 * to two characters with a space (as syslog's own format does), milliseconds, and the star IOS prints
 * while the clock is not NTP-synchronised. `show logging` and the page's log view both write it so.
 */
export function iosTimestamp(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  return `*${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time}`;
}
