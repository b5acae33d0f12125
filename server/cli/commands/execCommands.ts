import { arg, keyword, type CommandNode } from '../commandTypes';
import { renderShowApImage } from '../render/showApImage';
import { renderShowApSummary } from '../render/showApSummary';
import { loggingConfigLines } from '../render/loggingConfig';
import { renderShowLogging } from '../render/showLogging';
import { renderRunningConfig } from '../render/showRunningConfig';
import { renderShowVersion } from '../render/showVersion';

const TERMINAL_SIZE = { kind: 'number', name: '<0-512>', min: 0, max: 512 } as const;

/** The `show` commands: the only ones a monitor (`HOSTNAME>`) may run, and `do` runs them from configuration modes. */
export const SHOW_COMMAND: CommandNode = keyword('show', 'Show running system information', {
  children: [
    keyword('ap', 'Show AP information', {
      children: [
        keyword('image', 'Show AP image download and predownload status', { run: ({ backend }) => renderShowApImage(backend.apImage()) }),
        keyword('summary', 'Show the APs joined to the controller', { run: ({ backend }) => renderShowApSummary(backend.apImage()) }),
      ],
    }),
    keyword('logging', 'Show the contents of logging buffers', { run: ({ backend }) => renderShowLogging(backend.syslog(), backend.logging()) }),
    keyword('privilege', 'Show current privilege level', {
      run: ({ actor }) => [`Current privilege level is ${actor.role === 'admin' ? 15 : 1}`],
    }),
    // Privilege 15 as on IOS, and as the page's Export configuration: it carries the sealed SFTP password.
    keyword('running-config', 'Current operating configuration', {
      admin: true,
      run: ({ backend }) => renderRunningConfig(backend.hostname(), backend.upgrade().controllerVersion, backend.profileConfig(), loggingConfigLines(backend.logging().settings)),
    }),
    keyword('version', 'System hardware and software status', {
      run: ({ backend }) => renderShowVersion(backend.hostname(), backend.upgrade().controllerVersion, backend.startedAt),
    }),
  ],
});

// The console persists every change at once; these answer as IOS does so that scripts that save still work.
const saved = () => ['Building configuration...', '[OK]'];

const closeSession: CommandNode['run'] = (ctx) => {
  ctx.closeSession();
  return [];
};

/** Exec mode: `HOSTNAME#` for an admin, `HOSTNAME>` (show and terminal only) for a monitor. */
export const EXEC_COMMANDS: CommandNode[] = [
  keyword('ap', 'Cisco AP commands', {
    admin: true,
    children: [
      keyword('image', 'AP image upgrade', {
        children: [
          keyword('predownload', 'Predownload the image of the saved image-download profile to every AP (Save & Download)', {
            run: ({ backend, actor }) => backend.predownload(actor),
            children: [
              keyword('abort', 'Abort the predownload in progress (Cancel)', { run: ({ backend, actor }) => backend.cancel(actor) }),
              keyword('approve', "Trust the unsigned bundle's files the predownload waits on, with the SHA-256 it shows", { run: ({ backend, actor }) => backend.approveBundle(actor) }),
              keyword('replace-backup', "Predownload even to APs that run the bundle's version, replacing their backup image with it", {
                run: ({ backend, actor }) => backend.predownload(actor, { replaceBackup: true }),
              }),
              // IOS-XE 17.15's per-site predownload, as 9800 automation sends it.
              keyword('site-tag', 'Predownload to the APs of one site tag', {
                children: [
                  arg('siteTag', { kind: 'word', name: 'WORD' }, 'Site tag name', {
                    children: [
                      keyword('start', 'Start the predownload to the APs of this site tag', { run: ({ backend, actor }, a) => backend.predownloadSiteTag(actor, a.siteTag) }),
                      keyword('abort', 'Abort the predownload of this site tag', { run: ({ backend, actor }, a) => backend.abortSiteTag(actor, a.siteTag) }),
                    ],
                  }),
                ],
              }),
            ],
          }),
          keyword('swap', 'Swap the primary and backup images of every AP at its next reset', { run: ({ backend, actor }) => backend.swap(actor) }),
          keyword('reset', 'Reset every AP onto its swapped image (with swap: Activate)', { run: ({ backend, actor }) => backend.reset(actor) }),
        ],
      }),
    ],
  }),
  keyword('configure', 'Enter configuration mode', {
    admin: true,
    children: [
      keyword('terminal', 'Configure from the terminal', {
        run: (ctx) => {
          ctx.setMode('config');
          return ['Enter configuration commands, one per line.  End with CNTL/Z.'];
        },
      }),
    ],
  }),
  keyword('copy', 'Copy from one file to another', {
    admin: true,
    children: [keyword('running-config', 'Copy from current system configuration', { children: [keyword('startup-config', 'Copy to startup configuration', { run: saved })] })],
  }),
  keyword('enable', 'Turn on privileged commands', {
    run: ({ actor }) => (actor.role === 'admin' ? [] : ['% Error in authentication: privilege 15 comes with the admin role.']),
  }),
  keyword('exit', 'Exit from the EXEC', { run: closeSession }),
  keyword('logout', 'Exit from the EXEC', { run: closeSession }),
  keyword('quit', 'Exit from the EXEC', { run: closeSession }),
  SHOW_COMMAND,
  keyword('terminal', 'Set terminal line parameters', {
    children: [
      keyword('length', 'Set number of lines on a screen', {
        children: [arg('lines', TERMINAL_SIZE, 'Number of lines on screen (0 for no pausing)', { run: (ctx, a) => ((ctx.terminal.length = Number(a.lines)), []) })],
      }),
      keyword('width', 'Set width of the display terminal', {
        // Accepted because Netmiko and Ansible send it when they connect; this CLI never wraps its output.
        children: [arg('columns', TERMINAL_SIZE, 'Number of characters on a screen line', { run: () => [] })],
      }),
    ],
  }),
  keyword('write', 'Write running configuration to memory', { admin: true, children: [keyword('memory', 'Write to NV memory', { run: saved })] }),
];
