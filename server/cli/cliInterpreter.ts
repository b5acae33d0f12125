import type { CliActor, CliBackend } from './cliBackend';
import { CONFIG_COMMANDS } from './commands/configCommands';
import { EXEC_COMMANDS } from './commands/execCommands';
import { PROFILE_COMMANDS } from './commands/profileCommands';
import { PROFILE_MODES, type CliMode, type CommandContext, type CommandNode } from './commandTypes';
import { completeLine, helpFor, parseCommand, type ParseOutcome } from './parser';
import { applyPipe, splitPipe } from './pipes';
import { patchOf, type ProfileDraft } from './profileDraft';

const TREES: Record<CliMode, CommandNode[]> = {
  exec: EXEC_COMMANDS,
  config: CONFIG_COMMANDS,
  profile: PROFILE_COMMANDS,
  profileTftp: PROFILE_COMMANDS,
  profileSftp: PROFILE_COMMANDS,
};

const PROMPT_SUFFIX: Record<CliMode, string> = {
  exec: '',
  config: '(config)',
  profile: '(config-wireless-image-download-profile)',
  profileTftp: '(config-wireless-image-download-profile-tftp)',
  profileSftp: '(config-wireless-image-download-profile-sftp)',
};

/** Where `exit` goes from each configuration mode. */
const EXIT_TO: Record<CliMode, CliMode> = { exec: 'exec', config: 'exec', profile: 'config', profileTftp: 'profile', profileSftp: 'profile' };

/** The IOS error lines for a line that names no command; `caret` is the column of the `^` on screen. */
export function parseError(outcome: Exclude<ParseOutcome, { kind: 'command' } | { kind: 'empty' }>, line: string, caret: number): string[] {
  switch (outcome.kind) {
    case 'invalid':
      return [`${' '.repeat(caret + outcome.position)}^`, "% Invalid input detected at '^' marker.", ''];
    case 'incomplete':
      return ['% Incomplete command.', ''];
    case 'ambiguous':
      return [`% Ambiguous command: "${line.trim()}"`];
  }
}

/**
 * One CLI user's modes and what their lines do: parsing with IOS's abbreviations, the mode stack,
 * the profile being edited. It knows nothing of SSH or of terminal keys (see terminalSession.ts).
 */
export class CliInterpreter {
  mode: CliMode = 'exec';
  draft: ProfileDraft | null = null;
  readonly terminal = { length: 24 };
  closed = false;

  constructor(
    private readonly backend: CliBackend,
    readonly actor: CliActor,
  ) {}

  get admin(): boolean {
    return this.actor.role === 'admin';
  }

  prompt(): string {
    return `${this.backend.hostname()}${PROMPT_SUFFIX[this.mode]}${this.admin ? '#' : '>'}`;
  }

  /** Runs one line; `caret` is where the line starts on screen (the prompt's width), for the `^` marker. */
  async execute(line: string, caret = 0): Promise<string[]> {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!')) return [];
    if (this.mode === 'exec') return this.runExec(line, caret);
    const outcome = parseCommand(TREES[this.mode], line, this.admin);
    if (outcome.kind === 'command') return outcome.node.run!(this.context(caret, line), outcome.args);
    if (outcome.kind === 'empty') return [];
    // As on IOS, a line of an enclosing mode leaves the sub-mode and runs there.
    if (PROFILE_MODES.has(this.mode)) {
      const parent = parseCommand(CONFIG_COMMANDS, line, this.admin);
      if (parent.kind === 'command') {
        const saved = await this.commitDraft();
        this.mode = 'config';
        return [...saved, ...(await parent.node.run!(this.context(caret, line), parent.args))];
      }
    }
    return parseError(outcome, line, caret);
  }

  help(line: string): string[] {
    if (this.mode === 'exec') {
      const bar = line.lastIndexOf('|');
      if (bar >= 0)
        return [
          '  include                 Include lines that match',
          '  exclude                 Exclude lines that match',
          '  begin                   Begin with the line that matches',
          '  section                 Filter a section of output',
        ];
    }
    return helpFor(TREES[this.mode], line, this.admin);
  }

  complete(line: string): string | null {
    return completeLine(TREES[this.mode], line, this.admin);
  }

  /** end and Ctrl-Z: back to exec, saving the profile being edited. */
  async endConfig(): Promise<string[]> {
    if (this.mode === 'exec') return [];
    const saved = await this.commitDraft();
    this.mode = 'exec';
    return saved;
  }

  /** Saves the session's edits when it ends without `end` (the connection dropped). */
  async finish(): Promise<void> {
    await this.commitDraft();
  }

  private async exitMode(): Promise<string[]> {
    const next = EXIT_TO[this.mode];
    const saved = PROFILE_MODES.has(this.mode) && !PROFILE_MODES.has(next) ? await this.commitDraft() : [];
    this.mode = next;
    return saved;
  }

  private async runExec(line: string, caret: number): Promise<string[]> {
    const piped = splitPipe(line);
    if (!piped.ok) return piped.error === 'invalid' ? parseError({ kind: 'invalid', position: piped.position }, line, caret) : parseError({ kind: piped.error }, line, caret);
    const outcome = parseCommand(EXEC_COMMANDS, piped.command, this.admin);
    if (outcome.kind === 'empty') return [];
    if (outcome.kind !== 'command') return parseError(outcome, piped.command, caret);
    return applyPipe(await outcome.node.run!(this.context(caret, line), outcome.args), piped.filter);
  }

  private async commitDraft(): Promise<string[]> {
    const draft = this.draft;
    this.draft = null;
    if (!draft || draft.edits.length === 0) return [];
    return this.backend.saveProfile(patchOf(draft), this.actor);
  }

  private context(caret: number, line: string): CommandContext {
    // Handlers read and replace the session's draft through the context: its accessors have a `this` of their own.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the accessors below need the session itself.
    const session = this;
    return {
      backend: this.backend,
      actor: this.actor,
      terminal: this.terminal,
      get draft() {
        return session.draft;
      },
      set draft(draft) {
        session.draft = draft;
      },
      setMode: (mode) => {
        this.mode = mode;
      },
      endConfig: () => this.endConfig(),
      exitMode: () => this.exitMode(),
      runExec: (command) => this.runExec(command, caret + Math.max(0, line.indexOf(command))),
      closeSession: () => {
        this.closed = true;
      },
    };
  }
}
