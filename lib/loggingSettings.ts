import { z } from 'zod';
import { addressClass, parseIp } from './netAddress';
import type { SyslogSeverity } from './syslog';

// Browser code imports this file: zod and lib/ only.

/**
 * Syslog to the site's servers, as IOS configures it: `logging host ADDRESS [transport udp|tcp [port N]]`,
 * `logging trap LEVEL`, `logging facility NAME`. The page, the API and the CLI all save through
 * {@link loggingSettingsSchema}, so one rule decides what a host may be and how many there are.
 */

/** IOS's trap levels by number: a line is sent when its severity number is at most the trap level's. */
export const LOGGING_TRAP_LEVELS = ['emergencies', 'alerts', 'critical', 'errors', 'warnings', 'notifications', 'informational', 'debugging'] as const;
export type LoggingTrapLevel = (typeof LOGGING_TRAP_LEVELS)[number];

/** The syslog severity number (RFC 5424) of each severity the console's event log writes. */
export const SEVERITY_NUMBER: Record<SyslogSeverity, number> = { error: 3, warning: 4, notice: 5, info: 6 };

/** The syslog facilities IOS's `logging facility` offers, with their RFC 5424 codes. */
export const LOGGING_FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type LoggingFacility = keyof typeof LOGGING_FACILITIES;
const FACILITY_NAMES = Object.keys(LOGGING_FACILITIES) as [LoggingFacility, ...LoggingFacility[]];

export const LOGGING_TRANSPORTS = ['udp', 'tcp'] as const;
export type LoggingTransport = (typeof LOGGING_TRANSPORTS)[number];

/** IOS's default ports: 514 for UDP syslog, 601 for syslog over TCP (RFC 3195's port, as IOS uses it). */
export const DEFAULT_LOGGING_PORT: Record<LoggingTransport, number> = { udp: 514, tcp: 601 };

export const DEFAULT_TRAP_LEVEL: LoggingTrapLevel = 'informational';
export const DEFAULT_LOGGING_FACILITY: LoggingFacility = 'local7';

/** How many syslog hosts the console sends to: several, each with its own queue. */
export const MAX_LOGGING_HOSTS = 8;

/** True when a line of this severity passes the trap level. */
export function passesTrap(severity: SyslogSeverity, trap: LoggingTrapLevel): boolean {
  return SEVERITY_NUMBER[severity] <= LOGGING_TRAP_LEVELS.indexOf(trap);
}

/** `<PRI>`'s number: facility code × 8 + severity number (RFC 5424 §6.2.1). */
export function syslogPriority(facility: LoggingFacility, severity: SyslogSeverity): number {
  return LOGGING_FACILITIES[facility] * 8 + SEVERITY_NUMBER[severity];
}

/**
 * Why `value` cannot be a syslog host, or null. An IP address only (a name would be resolved at each
 * connection, and the address it gave would have to pass the same rule); not unspecified, broadcast,
 * multicast or reserved. Loopback is allowed: a relay on the console's own host is common.
 */
export function loggingHostProblem(value: string): string | null {
  const ip = parseIp(value);
  if (!ip) return "Enter the syslog server's IPv4 or IPv6 address (like 10.0.0.5 or fd00::5)";
  const kind = addressClass(ip);
  if (kind === 'unspecified') return 'Enter the address of a host, not the unspecified address';
  if (kind === 'broadcast') return 'Enter the address of a host, not the broadcast address 255.255.255.255';
  if (kind === 'multicast') return 'Enter the address of a host, not a multicast address';
  if (kind === 'reserved') return 'Enter the address of a host, not a reserved address';
  return null;
}

const addressSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = loggingHostProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  // One spelling per address (`::ffff:10.0.0.5` is 10.0.0.5), so a host cannot be listed twice under two names.
  .transform((value) => parseIp(value)!.text);

export const loggingHostSchema = z
  .object({
    address: addressSchema,
    transport: z.enum(LOGGING_TRANSPORTS, { message: 'Transport is udp or tcp' }).default('udp'),
    port: z
      .number({ message: 'Port is a whole number from 1 to 65535' })
      .int('Port is a whole number from 1 to 65535')
      .min(1, 'Port is a whole number from 1 to 65535')
      .max(65535, 'Port is a whole number from 1 to 65535')
      .optional(),
  })
  .strict()
  .transform((host) => ({ ...host, port: host.port ?? DEFAULT_LOGGING_PORT[host.transport] }));
export type LoggingHost = z.output<typeof loggingHostSchema>;

/** `10.0.0.5 (tcp port 601)`: how a host is named in lines, show logging and the page. */
export function describeLoggingHost(host: LoggingHost): string {
  return `${host.address} (${host.transport} port ${host.port})`;
}

export const sameLoggingHost = (a: LoggingHost, b: LoggingHost) => a.address === b.address && a.transport === b.transport && a.port === b.port;

export const loggingSettingsSchema = z
  .object({
    trap: z.enum(LOGGING_TRAP_LEVELS, { message: `Trap level is one of ${LOGGING_TRAP_LEVELS.join(', ')}` }).default(DEFAULT_TRAP_LEVEL),
    facility: z.enum(FACILITY_NAMES, { message: `Facility is one of ${FACILITY_NAMES.join(', ')}` }).default(DEFAULT_LOGGING_FACILITY),
    hosts: z.array(loggingHostSchema).max(MAX_LOGGING_HOSTS, `At most ${MAX_LOGGING_HOSTS} syslog hosts`).default([]),
  })
  .strict()
  .superRefine((settings, ctx) => {
    settings.hosts.forEach((host, index) => {
      if (settings.hosts.findIndex((other) => sameLoggingHost(other, host)) !== index) {
        ctx.addIssue({ code: 'custom', path: ['hosts', index, 'address'], message: `${describeLoggingHost(host)} is listed twice` });
      }
    });
  });
export type LoggingSettings = z.output<typeof loggingSettingsSchema>;

export const DEFAULT_LOGGING_SETTINGS: LoggingSettings = { trap: DEFAULT_TRAP_LEVEL, facility: DEFAULT_LOGGING_FACILITY, hosts: [] };

/** How a host's link is: sending, not reachable (lines queue), or being connected to (TCP). */
export const LOGGING_LINK_STATES = ['up', 'down', 'connecting'] as const;
export type LoggingLinkState = (typeof LOGGING_LINK_STATES)[number];

/** What the console knows of one host's feed since it was configured (or since the console started). */
export interface LoggingHostStatus extends LoggingHost {
  link: LoggingLinkState;
  /** Lines handed to the transport: a UDP datagram sent, or written to the TCP connection. */
  linesSent: number;
  /** Lines waiting while the host is unreachable, at most `queueLines`. */
  queued: number;
  /** Lines dropped because the queue was full. */
  linesDropped: number;
  /** Why the host is down, in the words of the socket error (`Connection refused`). */
  lastError: string | null;
}

/** `GET /api/logging`: the settings and how each host's feed is going. */
export interface LoggingView {
  settings: LoggingSettings;
  /** Lines that passed the trap level since the console started (IOS's "N message lines logged"). */
  trapLinesLogged: number;
  hosts: LoggingHostStatus[];
  /** Lines each host's queue holds while it is unreachable (`EWC_SYSLOG_QUEUE_LINES`). */
  queueLines: number;
}
