import { describeLoggingHost, type LoggingHost } from '../../lib/loggingSettings';
import type { EventLine } from '../store/eventLog';

/** The event lines about the syslog feeds themselves, in IOS's words where IOS has them (`%SYS-6-LOGGINGHOST_STARTSTOP`). */
export const loggingLines = {
  started: (host: LoggingHost, by: string): EventLine => ({
    severity: 'info',
    facility: 'SYS-6-LOGGINGHOST_STARTSTOP',
    text: `Logging to host ${describeLoggingHost(host)} started - configured by ${by}`,
  }),
  stopped: (host: LoggingHost, by: string): EventLine => ({
    severity: 'info',
    facility: 'SYS-6-LOGGINGHOST_STARTSTOP',
    text: `Logging to host ${describeLoggingHost(host)} stopped - configured by ${by}`,
  }),
  unreachable: (host: LoggingHost, reason: string, queueLines: number): EventLine => ({
    severity: 'warning',
    facility: 'SYS-4-LOGGINGHOST_FAIL',
    text: `Logging to host ${describeLoggingHost(host)} failed: ${reason}; up to ${queueLines} lines wait for it, later ones are dropped and counted`,
  }),
  /** The one line that says a host is back, and how many lines it missed. */
  reachable: (host: LoggingHost, dropped: number, queueLines: number): EventLine =>
    dropped === 0
      ? { severity: 'info', facility: 'SYS-6-LOGGINGHOST_STARTSTOP', text: `Logging to host ${describeLoggingHost(host)} started - reconnection, no message lines dropped` }
      : {
          severity: 'warning',
          facility: 'SYS-4-LOGGER_DROPPED',
          text: `Logging to host ${describeLoggingHost(host)} started - reconnection, ${dropped} message line${dropped === 1 ? '' : 's'} dropped while it was unreachable (queue of ${queueLines} lines full)`,
        },
};
