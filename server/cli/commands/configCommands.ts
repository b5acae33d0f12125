import { arg, keyword, type CommandNode } from '../commandTypes';
import { LOGGING_COMMAND, NO_LOGGING_COMMAND } from './loggingCommands';

const LINE = { kind: 'line', name: 'LINE' } as const;
const WORD = { kind: 'word', name: 'WORD' } as const;

/** end, exit and do: in every configuration mode. */
export const CONFIG_NAVIGATION: CommandNode[] = [
  keyword('do', 'To run exec commands in config mode', { children: [arg('command', LINE, 'Exec Command', { run: (ctx, a) => ctx.runExec(a.command) })] }),
  keyword('end', 'Exit from configure mode', { run: (ctx) => ctx.endConfig() }),
  keyword('exit', 'Exit from the current mode', { run: (ctx) => ctx.exitMode() }),
];

/** `9120-EWC(config)#` */
export const CONFIG_COMMANDS: CommandNode[] = [
  ...CONFIG_NAVIGATION,
  keyword('hostname', "Set system's network name", {
    children: [arg('name', WORD, "This system's network name", { run: ({ backend, actor }, a) => backend.setHostname(a.name, actor) })],
  }),
  LOGGING_COMMAND,
  keyword('no', 'Negate a command or set its defaults', {
    children: [keyword('hostname', "Set system's network name back to the default", { run: ({ backend, actor }) => backend.setHostname(null, actor) }), NO_LOGGING_COMMAND],
  }),
  keyword('wireless', 'Wireless configuration', {
    children: [
      keyword('profile', 'Wireless profiles', {
        children: [
          keyword('image-download', 'Configure the AP image download profile', {
            children: [
              keyword('default', 'The default image-download profile', {
                run: (ctx) => {
                  ctx.draft = { edits: [] };
                  ctx.setMode('profile');
                  return [];
                },
              }),
            ],
          }),
        ],
      }),
    ],
  }),
];
