import { DEFAULT_PORT, type ImageDownloadProfileInput } from '../../../lib/imageDownloadProfile';
import { arg, keyword, type ArgSpec, type CommandContext, type CommandNode, type Handler } from '../commandTypes';
import { CONFIG_NAVIGATION } from './configCommands';

const WORD: ArgSpec = { kind: 'word', name: 'WORD' };
const LINE: ArgSpec = { kind: 'line', name: 'LINE' };
const PORT: ArgSpec = { kind: 'number', name: '<1-65535>', min: 1, max: 65535 };

const SUB_MODE = { TFTP: 'profileTftp', SFTP: 'profileSftp' } as const;
/** The modes the seed's CLI configures (CCO and Desktop are set on the page). */
type CliProtocol = keyof typeof SUB_MODE;

type SlotFields = NonNullable<ImageDownloadProfileInput['tftp']>;

/** The fields of one protocol's server, path or port: each protocol keeps its own, as IOS does. */
const inSlot = (protocol: CliProtocol, fields: SlotFields): ImageDownloadProfileInput => (protocol === 'TFTP' ? { tftp: fields } : { sftp: fields });

/** Adds the fields a line names to the draft, then moves to the protocol's sub-mode, as the seed's prompts show after each of these lines. */
function edit(protocol: CliProtocol | null, named: (value: string) => ImageDownloadProfileInput): Handler {
  return (ctx: CommandContext, args) => {
    // The profile modes are entered only with a draft; a missing one is a session bug, not user input.
    ctx.draft!.edits.push(named(args.value ?? ''));
    if (protocol) ctx.setMode(SUB_MODE[protocol]);
    return [];
  };
}

function serverCommands(protocol: CliProtocol): CommandNode[] {
  const p = protocol.toLowerCase();
  return [
    keyword(`${p}-image-server`, `${protocol} server address`, {
      children: [arg('value', WORD, 'IPv4/IPv6 address or host name', { run: edit(protocol, (v) => inSlot(protocol, { imageServer: v })) })],
    }),
    keyword(`${p}-image-path`, `${protocol} image path`, { children: [arg('value', WORD, 'Image path on the server', { run: edit(protocol, (v) => inSlot(protocol, { imagePath: v })) })] }),
    keyword(`${p}-image-port`, `${protocol} server port`, {
      children: [arg('value', PORT, `Port (default ${DEFAULT_PORT[protocol]})`, { run: edit(protocol, (v) => inSlot(protocol, { port: Number(v) })) })],
    }),
  ];
}

const parallel = (on: boolean) => edit(null, () => ({ parallelMode: on }));
const defaultPort = (protocol: CliProtocol) => edit(protocol, () => inSlot(protocol, { port: DEFAULT_PORT[protocol] }));

/**
 * `(config-wireless-image-download-profile)` and its `-tftp` / `-sftp` sub-modes share one list:
 * a protocol line typed in the parent mode moves to that protocol's sub-mode (the seed types
 * `tftp-image-server` at the parent prompt and `tftp-image-path` at the `-tftp` one).
 */
export const PROFILE_COMMANDS: CommandNode[] = [
  ...CONFIG_NAVIGATION,
  keyword('image-download-mode', 'Image download mode', {
    children: (['TFTP', 'SFTP'] as const).map((mode) =>
      keyword(mode.toLowerCase(), `Download the images over ${mode}`, {
        // The mode only: each protocol's server, path and port stay as they are.
        run: edit(mode, () => ({ mode })),
      }),
    ),
  }),
  keyword('no', 'Negate a command or set its defaults', {
    children: [
      keyword('parallel-mode', 'Download the image types one after another', { run: parallel(false) }),
      keyword('sftp-image-port', 'SFTP server port back to 22', { run: defaultPort('SFTP') }),
      keyword('tftp-image-port', 'TFTP server port back to 69', { run: defaultPort('TFTP') }),
    ],
  }),
  keyword('parallel-mode', 'Download all image types at once', {
    run: parallel(true),
    children: [keyword('enable', 'Enable parallel mode', { run: parallel(true) }), keyword('disable', 'Disable parallel mode', { run: parallel(false) })],
  }),
  ...serverCommands('SFTP'),
  keyword('sftp-host-key', 'Trusted SFTP server host key', {
    children: [arg('value', WORD, 'SHA256: fingerprint, as ssh-keygen -lf prints it', { run: edit('SFTP', (v) => ({ sftp: { hostKeyFingerprint: v } })) })],
  }),
  keyword('sftp-password', 'SFTP password', {
    children: [
      keyword('0', 'Specifies an UNENCRYPTED password will follow', {
        children: [arg('value', LINE, 'The UNENCRYPTED (cleartext) password', { run: edit('SFTP', (v) => ({ sftp: { password: v, passwordType: 'UNENCRYPTED', authMethod: 'password' } })) })],
      }),
      keyword('aes', 'Specifies an AES password exported by this console will follow', {
        children: [arg('value', WORD, 'The AES password', { run: edit('SFTP', (v) => ({ sftp: { password: v, passwordType: 'AES', authMethod: 'password' } })) })],
      }),
    ],
  }),
  keyword('sftp-username', 'SFTP user name', { children: [arg('value', WORD, 'User name', { run: edit('SFTP', (v) => ({ sftp: { username: v } })) })] }),
  ...serverCommands('TFTP'),
];
