import type { LoggingView } from '../../../lib/loggingSettings';
import { syslogLineText, type SyslogLine } from '../../../lib/syslog';
import { trapLoggingLines } from './loggingConfig';

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
