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
