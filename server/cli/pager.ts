export const MORE_PROMPT = ' --More-- ';
// Overwrites the --More-- prompt once a key was read, as IOS does.
export const MORE_ERASE = `\r${' '.repeat(MORE_PROMPT.length)}\r`;

export interface PagerStep {
  lines: string[];
  /** True when the pager waits for a key at --More--. */
  more: boolean;
}

/**
 * IOS paging: `terminal length` minus one lines, then --More--; space shows the next page,
 * Enter one more line, any other key ends the output. Length 0 shows everything at once.
 */
export class Pager {
  private next = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly length: number,
  ) {}

  first(): PagerStep {
    return this.take(this.length === 0 ? this.lines.length : Math.max(1, this.length - 1));
  }

  key(key: string): PagerStep {
    if (key === ' ') return this.take(Math.max(1, this.length - 1));
    if (key === '\r' || key === '\n') return this.take(1);
    this.next = this.lines.length;
    return { lines: [], more: false };
  }

  private take(count: number): PagerStep {
    const lines = this.lines.slice(this.next, this.next + count);
    this.next += lines.length;
    return { lines, more: this.next < this.lines.length };
  }
}
