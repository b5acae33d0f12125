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

/** Local wall-clock time of the next retry, or `0` when none is scheduled, as the CLI prints it. */
export function formatRetryTime(iso: string | null): string {
  if (!iso) return '0';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '0';
  return date.toLocaleTimeString(undefined, { hour12: false });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IOS-XE log timestamp (`Nov 21 05:14:03.120`) in local time, so it matches the controller's console. */
export function formatSyslogTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const millis = String(date.getMilliseconds()).padStart(3, '0');
  return `${MONTHS[date.getMonth()]} ${pad2(date.getDate())} ${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${millis}`;
}
