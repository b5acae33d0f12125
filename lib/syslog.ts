import { iosTimestamp } from './iosTime';

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

/** A line's message after its timestamp: `%INSTALL-5-INSTALL_START_INFO: Chassis 1 R0/0: …`. */
export function syslogMessageText(line: Pick<SyslogLine, 'facility' | 'text'>): string {
  return `%${line.facility}: ${line.text}`;
}

/** One line as the EWC's syslog prints it, `*Feb  1 17:05:37.108: %INSTALL-5-…: text`: `show logging` and the page's log view. */
export function syslogLineText(line: Pick<SyslogLine, 'time' | 'facility' | 'text'>): string {
  return `${iosTimestamp(line.time)}: ${syslogMessageText(line)}`;
}
