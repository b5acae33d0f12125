import type { CliBackend, CliActor } from './cliBackend';
import type { ProfileDraft } from './profileDraft';

/** The IOS-XE modes this CLI has; each has its own prompt suffix. */
export type CliMode = 'exec' | 'config' | 'profile' | 'profileTftp' | 'profileSftp';

export const PROFILE_MODES: ReadonlySet<CliMode> = new Set(['profile', 'profileTftp', 'profileSftp']);

/** An argument slot in the tree: IOS's WORD, <1-65535> and LINE (the rest of the line, spaces included). */
export interface ArgSpec {
  kind: 'word' | 'number' | 'line';
  /** As `?` lists it: `WORD`, `<1-65535>`, `LINE`. */
  name: string;
  min?: number;
  max?: number;
}

/** What a handler may change in the session beside printing. */
export interface CommandContext {
  backend: CliBackend;
  actor: CliActor;
  /** The image-download profile being edited, while in one of the profile modes. */
  draft: ProfileDraft | null;
  setMode(mode: CliMode): void;
  /** Leaves every configuration mode (end, Ctrl-Z), saving the profile being edited. */
  endConfig(): Promise<string[]>;
  /** Leaves one level, as `exit` does. */
  exitMode(): Promise<string[]>;
  /** Runs an exec command from a configuration mode (`do`). */
  runExec(line: string): Promise<string[]>;
  /** `terminal length`: lines per page, 0 for no paging. */
  terminal: { length: number };
  closeSession(): void;
}

/** Values of the argument slots, by slot name, in the order given. */
export type CommandArgs = Record<string, string>;

/** Lines to print; a handler that prints nothing returns an empty list. */
export type Handler = (ctx: CommandContext, args: CommandArgs) => string[] | Promise<string[]>;

export interface CommandNode {
  /** A literal keyword, matched by any unique prefix; absent for an argument slot. */
  keyword?: string;
  arg?: ArgSpec;
  /** The slot name the argument's value is stored under (defaults to the keyword of the parent). */
  name?: string;
  help: string;
  children?: CommandNode[];
  /** Set when the words up to this node form a complete command. */
  run?: Handler;
  /** Privilege 15 only: hidden from a monitor's `>` prompt, as IOS hides what a level cannot run. */
  admin?: boolean;
}

export const keyword = (word: string, help: string, rest: Partial<CommandNode> = {}): CommandNode => ({ keyword: word, help, ...rest });
export const arg = (name: string, spec: ArgSpec, help: string, rest: Partial<CommandNode> = {}): CommandNode => ({ arg: spec, name, help, ...rest });
