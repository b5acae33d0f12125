export const SYSLOG_SEVERITIES = ['error', 'warning', 'notice', 'info'] as const;
export type SyslogSeverity = (typeof SYSLOG_SEVERITIES)[number];

/** One line of the controller's event log, as shown in the log view and by GET /api/syslog. */
export interface SyslogLine {
  id: number;
  /** ISO time. */
  time: string;
  severity: SyslogSeverity;
  /** The EWC facility mnemonic, e.g. `INSTALL-3-OPERATION_ERROR_MESSAGE`. */
  facility: string;
  text: string;
}

/** How many recent lines the page keeps and a snapshot carries; older ones scroll off as on the controller's buffer. */
export const SYSLOG_PAGE_LINES = 500;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `*Feb  1 17:05:37.108` in UTC: IOS's timestamp, the star saying the clock is not NTP-synchronised. */
export function syslogTimestamp(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  return `*${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time}`;
}

/** One line as the EWC's syslog prints it: `*Feb  1 17:05:37.108: %INSTALL-5-…: text`. */
export function syslogLineText(line: SyslogLine): string {
  return `${syslogTimestamp(line.time)}: %${line.facility}: ${line.text}`;
}
