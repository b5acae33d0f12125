import type { CliInterpreter } from './cliInterpreter';
import { MORE_ERASE, MORE_PROMPT, Pager } from './pager';

export interface TerminalIo {
  write(text: string): void;
  close(): void;
}

export interface TerminalOptions {
  /** Longer lines are refused whole, not cut: a truncated config line would do something else. */
  maxLineLength: number;
  /** Closes the session after this long without a keystroke (the web session's idle limit). */
  idleMs: number;
  /** False once the login session behind this terminal ended (logout elsewhere, account removed, expired). */
  sessionAlive: () => Promise<boolean>;
  /** Told when the interpreter throws: the user sees an IOS error line, the operator the reason. */
  onError?: (error: unknown) => void;
}

export const DEFAULT_MAX_LINE_LENGTH = 4096;
// Typeahead kept while a command runs; what a client sends beyond it is dropped with a bell.
const MAX_PENDING = 1024 * 1024;
const CTRL_C = '\x03';
const CTRL_U = '\x15';
const CTRL_V = '\x16';
const CTRL_Z = '\x1a';
const ESC = '\x1b';

/**
 * The line discipline of an interactive CLI: echo, backspace, `?`, Tab, Ctrl-Z, `--More--`, and
 * typeahead. Input that arrives while a command runs (a pasted burst, Netmiko's config lines) waits
 * and is then taken one line at a time, each echoed after its own prompt as on IOS.
 */
export class TerminalSession {
  private pending = '';
  private line = '';
  private busy = false;
  private pager: Pager | null = null;
  private tooLong = false;
  private afterCr = false;
  private escape: 'none' | 'esc' | 'csi' = 'none';
  /** Ctrl-V: the next key is text, so a password may contain `?`, as on IOS. */
  private literal = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly io: TerminalIo,
    private readonly cli: CliInterpreter,
    private readonly options: TerminalOptions,
  ) {}

  start(): void {
    this.armIdle();
    this.io.write(`\r\n${this.cli.prompt()}`);
  }

  receive(data: string): void {
    if (this.ended) return;
    this.armIdle();
    const room = MAX_PENDING - this.pending.length;
    if (data.length > room) this.io.write('\x07');
    this.pending += data.slice(0, Math.max(0, room));
    this.pump();
  }

  /** The connection went away: stop timers and keep what was being edited. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    void this.cli.finish().catch((error: unknown) => this.options.onError?.(error));
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.io.write('\r\n% Session idle timeout\r\n');
      this.close();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private close(): void {
    this.end();
    this.io.close();
  }

  private pump(): void {
    let i = 0;
    while (i < this.pending.length && !this.busy && !this.ended) this.key(this.pending[i++]);
    this.pending = this.pending.slice(i);
  }

  private key(ch: string): void {
    const crlf = this.afterCr && ch === '\n';
    this.afterCr = ch === '\r';
    if (crlf) return;
    if (this.pager) return this.pageKey(ch);
    if (this.literal) {
      this.literal = false;
      if (ch >= ' ') return this.insert(ch);
    }
    if (this.escape !== 'none') {
      // Arrow keys and other escape sequences: not supported, swallowed whole.
      if (this.escape === 'esc') this.escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
      else if (/[@-~]/.test(ch)) this.escape = 'none';
      return;
    }
    switch (ch) {
      case '\r':
      case '\n':
        return this.enter();
      case '\x7f':
      case '\b':
        if (this.line.length > 0 && !this.tooLong) {
          this.line = this.line.slice(0, -1);
          this.io.write('\b \b');
        }
        return;
      case CTRL_U:
        this.io.write('\b \b'.repeat(this.line.length));
        this.line = '';
        return;
      case CTRL_C:
      case CTRL_Z:
        return this.abortLine(ch === CTRL_Z ? '^Z' : '^C');
      case ESC:
        this.escape = 'esc';
        return;
      case '\t':
        return this.completeWord();
      case '?':
        return this.showHelp();
      case CTRL_V:
        this.literal = true;
        return;
    }
    if (ch >= ' ') this.insert(ch);
  }

  private insert(ch: string): void {
    if (this.tooLong) return;
    if (this.line.length >= this.options.maxLineLength) {
      this.tooLong = true;
      this.io.write('\x07');
      return;
    }
    this.line += ch;
    this.io.write(ch);
  }

  private enter(): void {
    this.io.write('\r\n');
    const line = this.line;
    const tooLong = this.tooLong;
    this.line = '';
    this.tooLong = false;
    if (tooLong) return this.show([`% Command line too long: ${this.options.maxLineLength} characters at most; nothing was run.`]);
    this.busy = true;
    const caret = this.cli.prompt().length;
    // Keys typed meanwhile wait in `pending` until the line's answer is shown.
    this.whenDone(async () => {
      if (!(await this.options.sessionAlive())) return null;
      return this.cli.execute(line, caret);
    });
  }

  /** Runs a line's work, then shows its lines and goes on with the keys that waited; null: the login session ended. */
  private whenDone(work: () => Promise<string[] | null>): void {
    void work()
      .catch((error: unknown) => {
        this.options.onError?.(error);
        return ['% Error: the command failed inside the console; see its log.'];
      })
      .then((lines) => {
        this.busy = false;
        if (lines === null) {
          this.io.write('% Your login session ended; connect again.\r\n');
          return this.close();
        }
        if (this.cli.closed) return this.close();
        this.show(lines);
        this.pump();
      });
  }

  private abortLine(echo: string): void {
    this.io.write(`${echo}\r\n`);
    this.line = '';
    this.tooLong = false;
    // Ctrl-Z and Ctrl-C leave configuration, as `end` does.
    this.busy = true;
    this.whenDone(() => this.cli.endConfig());
  }

  private completeWord(): void {
    const completed = this.cli.complete(this.line);
    if (!completed) return this.io.write('\x07');
    this.io.write(`${'\b \b'.repeat(this.line.length)}${completed}`);
    this.line = completed;
  }

  private showHelp(): void {
    this.io.write('?\r\n');
    this.writeLines(this.cli.help(this.line));
    this.io.write(`\r\n${this.cli.prompt()}${this.line}`);
  }

  /** Prints a command's output through the pager, then the prompt. */
  private show(lines: string[]): void {
    const pager = new Pager(lines, this.cli.terminal.length);
    this.page(pager, pager.first());
  }

  private pageKey(ch: string): void {
    const pager = this.pager!;
    this.io.write(MORE_ERASE);
    this.page(pager, pager.key(ch));
  }

  private page(pager: Pager, step: { lines: string[]; more: boolean }): void {
    this.writeLines(step.lines);
    if (step.more) {
      this.pager = pager;
      this.io.write(MORE_PROMPT);
      return;
    }
    this.pager = null;
    this.io.write(this.cli.prompt());
  }

  private writeLines(lines: string[]): void {
    if (lines.length > 0) this.io.write(`${lines.join('\r\n')}\r\n`);
  }
}
