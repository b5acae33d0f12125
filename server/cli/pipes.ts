import { tokenize } from './parser';

export const PIPE_KINDS = ['include', 'exclude', 'begin', 'section'] as const;
export type PipeKind = (typeof PIPE_KINDS)[number];

export interface PipeFilter {
  kind: PipeKind;
  pattern: RegExp;
}

export type PipeSplit = { ok: true; command: string; filter: PipeFilter | null } | { ok: false; error: 'invalid'; position: number } | { ok: false; error: 'incomplete' | 'ambiguous' };

/** Splits `show … | include REGEX` into the command and its output filter; the regex is the rest of the line, as on IOS. */
export function splitPipe(line: string): PipeSplit {
  const bar = line.indexOf('|');
  if (bar < 0) return { ok: true, command: line, filter: null };
  const after = line.slice(bar + 1);
  const [word] = tokenize(after);
  if (!word) return { ok: false, error: 'incomplete' };
  const lower = word.text.toLowerCase();
  const kinds = PIPE_KINDS.filter((kind) => kind.startsWith(lower));
  const at = bar + 1 + word.start;
  if (kinds.length === 0) return { ok: false, error: 'invalid', position: at };
  if (kinds.length > 1) return { ok: false, error: 'ambiguous' };
  const source = after.slice(word.start + word.text.length).trim();
  if (source === '') return { ok: false, error: 'incomplete' };
  try {
    return { ok: true, command: line.slice(0, bar), filter: { kind: kinds[0], pattern: new RegExp(source) } };
  } catch {
    return { ok: false, error: 'invalid', position: bar + 1 + after.indexOf(source, word.start + word.text.length) };
  }
}

const indented = (line: string) => /^\s/.test(line);

/** Applies `| include`, `| exclude`, `| begin` or `| section` to a command's output lines. */
export function applyPipe(lines: readonly string[], filter: PipeFilter | null): string[] {
  if (!filter) return [...lines];
  const { kind, pattern } = filter;
  switch (kind) {
    case 'include':
      return lines.filter((l) => pattern.test(l));
    case 'exclude':
      return lines.filter((l) => !pattern.test(l));
    case 'begin': {
      const first = lines.findIndex((l) => pattern.test(l));
      return first < 0 ? [] : lines.slice(first);
    }
    case 'section': {
      // A section is a top-level line and the indented lines under it; it is shown when any of its lines matches.
      const out: string[] = [];
      let block: string[] = [];
      const flush = () => {
        if (block.some((l) => pattern.test(l))) out.push(...block);
        block = [];
      };
      for (const line of lines) {
        if (!indented(line)) flush();
        block.push(line);
      }
      flush();
      return out;
    }
  }
}
