import { syslogPriority, type LoggingFacility } from '../../lib/loggingSettings';
import type { SyslogLine } from '../../lib/syslog';
import { syslogLineText } from '../../lib/syslog';

/**
 * One event line as IOS sends it to a syslog host: `<189>35: *Feb  1 17:05:37.108: %INSTALL-5-…: text`.
 * The priority is the configured facility and the line's own severity; the sequence number is the
 * line's id in the console's event log, so a gap says a line was below the trap level (or dropped,
 * which a line says). The rest is `show logging`'s line, word for word.
 */
export function syslogMessage(line: SyslogLine, facility: LoggingFacility): string {
  return `<${syslogPriority(facility, line.severity)}>${line.id}: ${syslogLineText(line)}`;
}

/** A UDP datagram carries one message, with no line ending, as IOS sends it. */
export function udpDatagram(message: string): Buffer {
  return Buffer.from(message, 'utf8');
}

/** RFC 6587 octet counting: `LENGTH SP MESSAGE`, the length in bytes, so a message may hold any character. */
export function octetCountedFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
