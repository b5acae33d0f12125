import type { LoggingView } from '../../../lib/loggingSettings';
import type { SyslogLine } from '../../../lib/syslog';
import { trapLoggingLines } from './loggingConfig';

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

/** `show logging`: the buffer header, the syslog hosts' feeds, then the console's event log lines, oldest first. */
export function renderShowLogging(lines: readonly SyslogLine[], logging: LoggingView): string[] {
  return [
    'Syslog logging: enabled (0 messages dropped, 0 flushes, 0 overruns, xml disabled, filtering disabled)',
    '',
    `    Buffer logging:  level debugging, ${lines.length} messages logged, xml disabled,`,
    '                     filtering disabled',
    '',
    ...trapLoggingLines(logging),
    '',
    `Log Buffer (${lines.length} lines, timestamps in UTC):`,
    '',
    ...lines.map(syslogLineText),
  ];
}
