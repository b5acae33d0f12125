import type { ArgSpec, CommandArgs, CommandNode } from './commandTypes';

export interface Token {
  text: string;
  /** Column of the token's first character in the line, for the `^` marker. */
  start: number;
}

export type ParseOutcome = { kind: 'empty' } | { kind: 'command'; node: CommandNode; args: CommandArgs } | { kind: 'invalid'; position: number } | { kind: 'incomplete' } | { kind: 'ambiguous' };

export function tokenize(line: string): Token[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index }));
}

function accepts(spec: ArgSpec, word: string): boolean {
  if (spec.kind !== 'number') return true;
  if (!/^\d{1,10}$/.test(word)) return false;
  const value = Number(word);
  return value >= (spec.min ?? 0) && value <= (spec.max ?? Number.MAX_SAFE_INTEGER);
}

/** The nodes a user of this privilege may see and run. */
export function visible(nodes: readonly CommandNode[], admin: boolean): CommandNode[] {
  return nodes.filter((node) => admin || !node.admin);
}

type WordMatch = { kind: 'one'; node: CommandNode } | { kind: 'ambiguous' } | { kind: 'none' };

/**
 * IOS's rule: a keyword matches any prefix that no other keyword of the same level shares,
 * a keyword typed in full always wins, and only then is the word taken as an argument.
 */
function matchWord(nodes: readonly CommandNode[], word: string): WordMatch {
  const lower = word.toLowerCase();
  const exact = nodes.find((node) => node.keyword === lower);
  if (exact) return { kind: 'one', node: exact };
  const prefixed = nodes.filter((node) => node.keyword?.startsWith(lower));
  if (prefixed.length === 1) return { kind: 'one', node: prefixed[0] };
  if (prefixed.length > 1) return { kind: 'ambiguous' };
  const argument = nodes.find((node) => node.arg && accepts(node.arg, word));
  return argument ? { kind: 'one', node: argument } : { kind: 'none' };
}

/** Finds the command a line names in a tree, or why it names none. */
export function parseCommand(nodes: readonly CommandNode[], line: string, admin: boolean): ParseOutcome {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { kind: 'empty' };
  let level = visible(nodes, admin);
  let node: CommandNode | null = null;
  const args: CommandArgs = {};
  for (const token of tokens) {
    const match = matchWord(level, token.text);
    if (match.kind === 'ambiguous') return { kind: 'ambiguous' };
    if (match.kind === 'none') return { kind: 'invalid', position: token.start };
    node = match.node;
    if (node.arg?.kind === 'line') {
      args[node.name ?? 'line'] = line.slice(token.start).trimEnd();
      break;
    }
    if (node.arg) args[node.name ?? node.arg.name] = token.text;
    level = visible(node.children ?? [], admin);
  }
  return node?.run ? { kind: 'command', node, args } : { kind: 'incomplete' };
}

const helpLine = (name: string, help: string) => `  ${name.padEnd(24)}${help}`;

/** Walks the complete words of a line; null when one of them does not match. */
function levelAfter(nodes: readonly CommandNode[], tokens: Token[], admin: boolean): { level: CommandNode[]; node: CommandNode | null } | null {
  let level = visible(nodes, admin);
  let node: CommandNode | null = null;
  for (const token of tokens) {
    const match = matchWord(level, token.text);
    if (match.kind !== 'one' || match.node.arg?.kind === 'line') return null;
    node = match.node;
    level = visible(node.children ?? [], admin);
  }
  return { level, node };
}

/**
 * What `?` prints: after a space, the words that may follow (and `<cr>` when the command is complete);
 * right after a partial word, the keywords it can still become.
 */
export function helpFor(nodes: readonly CommandNode[], line: string, admin: boolean): string[] {
  const tokens = tokenize(line);
  const partial = line.length > 0 && !/\s$/.test(line) ? tokens.pop() : undefined;
  const reached = levelAfter(nodes, tokens, admin);
  if (!reached) return ['% Unrecognized command'];
  if (partial) {
    const lower = partial.text.toLowerCase();
    const words = reached.level.filter((node) => node.keyword?.startsWith(lower)).map((node) => node.keyword!);
    return words.length > 0 ? [words.join('  ')] : ['% Unrecognized command'];
  }
  const lines = reached.level.map((node) => helpLine(node.keyword ?? node.arg!.name, node.help));
  if (reached.node?.run) lines.push(helpLine('<cr>', ''));
  return lines.map((l) => l.trimEnd());
}

/** Tab: completes the last word when exactly one keyword starts with it; null otherwise. */
export function completeLine(nodes: readonly CommandNode[], line: string, admin: boolean): string | null {
  if (line.length === 0 || /\s$/.test(line)) return null;
  const tokens = tokenize(line);
  const partial = tokens.pop()!;
  const reached = levelAfter(nodes, tokens, admin);
  if (!reached) return null;
  const lower = partial.text.toLowerCase();
  const words = reached.level.filter((node) => node.keyword?.startsWith(lower));
  if (words.length !== 1) return null;
  return `${line.slice(0, partial.start)}${words[0].keyword} `;
}
