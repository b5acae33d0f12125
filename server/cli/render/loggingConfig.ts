import { DEFAULT_LOGGING_FACILITY, DEFAULT_LOGGING_PORT, DEFAULT_TRAP_LEVEL, type LoggingSettings, type LoggingView } from '../../../lib/loggingSettings';

/** The `logging` lines of `show running-config`, as IOS writes them: defaults left out, hosts in the order configured. */
export function loggingConfigLines(settings: LoggingSettings): string[] {
  return [
    ...(settings.trap !== DEFAULT_TRAP_LEVEL ? [`logging trap ${settings.trap}`] : []),
    ...(settings.facility !== DEFAULT_LOGGING_FACILITY ? [`logging facility ${settings.facility}`] : []),
    ...settings.hosts.map((host) =>
      host.transport === 'udp' && host.port === DEFAULT_LOGGING_PORT.udp ? `logging host ${host.address}` : `logging host ${host.address} transport ${host.transport} port ${host.port}`,
    ),
  ];
}

/** `show logging`'s trap block: the level, the lines that passed it, and each host's feed. */
export function trapLoggingLines(view: LoggingView): string[] {
  const lines = [`    Trap logging: level ${view.settings.trap}, ${view.trapLinesLogged} message lines logged`];
  for (const host of view.hosts) {
    const link = host.link === 'down' ? `link down: ${host.lastError ?? 'unreachable'}` : `link ${host.link}`;
    lines.push(
      `        Logging to ${host.address}  (${host.transport} port ${host.port}, ${link}),`,
      `              ${host.linesSent} message lines logged,`,
      `              ${host.queued} message lines queued (at most ${view.queueLines}),`,
      `              ${host.linesDropped} message lines dropped (queue full)`,
    );
  }
  return lines;
}
