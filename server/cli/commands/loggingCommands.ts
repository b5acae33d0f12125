import { LOGGING_FACILITIES, LOGGING_TRANSPORTS, LOGGING_TRAP_LEVELS, type LoggingFacility, type LoggingTransport } from '../../../lib/loggingSettings';
import { arg, keyword, type CommandNode, type Handler } from '../commandTypes';
import type { LoggingChange } from '../../syslog/loggingService';

const ADDRESS = { kind: 'word', name: 'Hostname or A.B.C.D or X:X:X:X::X' } as const;
const PORT = { kind: 'number', name: '<1-65535>', min: 1, max: 65535 } as const;
const LEVEL = { kind: 'number', name: '<0-7>', min: 0, max: 7 } as const;

const TRAP_HELP = [
  'Immediate action needed',
  'Immediate action needed',
  'Critical conditions',
  'Error conditions',
  'Warning conditions',
  'Normal but significant conditions',
  'Informational messages',
  'Debugging messages',
];

const change =
  (what: (args: Record<string, string>) => LoggingChange): Handler =>
  ({ backend, actor }, args) =>
    backend.changeLogging(what(args), actor);

/** `ADDRESS [transport udp|tcp [port N]]`, each prefix a complete command, for `logging host` and `no logging host`. */
function hostTree(kind: 'addHost' | 'removeHost'): CommandNode[] {
  const host = (args: Record<string, string>, transport?: LoggingTransport) => ({ address: args.address, transport, port: args.port === undefined ? undefined : Number(args.port) });
  const transports = LOGGING_TRANSPORTS.map((transport) =>
    keyword(transport, `Use ${transport.toUpperCase()} as the transport`, {
      run: change((a) => ({ kind, host: host(a, transport) })),
      children: [keyword('port', 'Specify the port', { children: [arg('port', PORT, 'Port number', { run: change((a) => ({ kind, host: host(a, transport) })) })] })],
    }),
  );
  return [
    arg('address', ADDRESS, 'IP address of the syslog server', {
      run: change((a) => ({ kind, host: host(a) })),
      children: [keyword('transport', 'Specify the transport protocol (default is UDP)', { children: transports })],
    }),
  ];
}

const trapChildren: CommandNode[] = [
  arg('level', LEVEL, 'Logging severity level', { run: change((a) => ({ kind: 'trap', trap: LOGGING_TRAP_LEVELS[Number(a.level)] })) }),
  ...LOGGING_TRAP_LEVELS.map((level, n) => keyword(level, `${TRAP_HELP[n]} (severity=${n})`, { run: change(() => ({ kind: 'trap', trap: level })) })),
];

const facilityChildren: CommandNode[] = (Object.keys(LOGGING_FACILITIES) as LoggingFacility[]).map((facility) =>
  keyword(facility, `Facility ${facility}`, { run: change(() => ({ kind: 'facility', facility })) }),
);

/** `logging host|trap|facility …` in config mode, as IOS has them. */
export const LOGGING_COMMAND: CommandNode = keyword('logging', 'Modify message logging facilities', {
  children: [
    keyword('facility', 'Facility parameter for syslog messages', { children: facilityChildren }),
    keyword('host', 'Set syslog server IP address and parameters', { children: hostTree('addHost') }),
    keyword('trap', 'Set syslog server logging level', { children: trapChildren }),
  ],
});

/** `no logging host ADDRESS [transport …]`, `no logging trap`, `no logging facility`. */
export const NO_LOGGING_COMMAND: CommandNode = keyword('logging', 'Modify message logging facilities', {
  children: [
    keyword('facility', 'Set the syslog facility back to local7', { run: change(() => ({ kind: 'facility', facility: null })) }),
    keyword('host', 'Stop sending syslog to a server', { children: hostTree('removeHost') }),
    keyword('trap', 'Set the syslog server logging level back to informational', { run: change(() => ({ kind: 'trap', trap: null })) }),
  ],
});
