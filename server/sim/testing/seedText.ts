import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The seed documents, byte for byte as the project received them (`server/sim/testing/seeds/`), and what
 * tests read out of them: a test compares the console's words with the seed's own text, never with a
 * copy typed into the test.
 */
const SEEDS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seeds');

export type SeedName = 'ewc-non-homogeneous-ap-upgrade.en.txt' | 'ewc-non-homogeneous-ap-upgrade.zh.txt' | 'ewc-non-homogeneous-ap-upgrade.fr.txt' | 'aruba-iap-automatic-upgrade.en.txt';

/** A seed's lines, its web page's no-break spaces (U+00A0, which kept the CLI's alignment in HTML) read as the spaces they stand for. */
export function seedLines(name: SeedName): string[] {
  return fs
    .readFileSync(path.join(SEEDS, name), 'utf8')
    .replace(/\u00a0/g, ' ')
    .split('\n');
}

/**
 * `show ap image` as the Chinese copy keeps it, from `Total number of APs` to the last AP row, each line
 * with its trailing spaces trimmed. The web page set the header's `Backup Image` apart in a paragraph of its
 * own (the copy holds the header as `AP Name … Primary Image`, a blank line, `Backup Image`, a blank line,
 * `Predownload Status …`): those pieces are joined back into the one line IOS prints, every space kept.
 */
export function seedShowApImage(): string[] {
  const lines = seedLines('ewc-non-homogeneous-ap-upgrade.zh.txt');
  const start = lines.findIndex((line) => line.startsWith('Total number of APs'));
  const header = lines.findIndex((line, i) => i > start && line.startsWith('AP Name'));
  const rule = lines.findIndex((line, i) => i > header && /^-{100,}/.test(line));
  if (start < 0 || header < 0 || rule < 0) throw new Error('The seed holds no show ap image block');
  const pieces = lines.slice(header, rule).filter((line) => line !== '');
  let end = rule + 1;
  while (lines[end]?.trim()) end += 1;
  return [...lines.slice(start, header), pieces.join(''), ...lines.slice(rule, end)].map((line) => line.trimEnd());
}

/** The one line of the English copy that contains `words` (its syslog lines are whole there); throws unless exactly one does. */
export function seedLine(words: string, name: SeedName = 'ewc-non-homogeneous-ap-upgrade.en.txt'): string {
  const found = seedLines(name).filter((line) => line.includes(words));
  if (found.length !== 1) throw new Error(`The seed ${name} has ${found.length} lines with "${words}"`);
  return found[0].trimEnd();
}

/**
 * The seed's line with what may differ replaced: each key (an address, a name, a path, a time as the seed
 * writes it) by the console's value. A key the seed line does not hold is an error, so the list of what
 * differs is exact.
 */
export function seedLineWith(seed: string, differs: Record<string, string>): string {
  let line = seed;
  for (const [from, to] of Object.entries(differs)) {
    if (!line.includes(from)) throw new Error(`The seed line does not hold "${from}": ${seed}`);
    line = line.split(from).join(to);
  }
  return line;
}

// `*Feb 1 17:05:37.108` as the seed's web page printed it (one space: the page lost IOS's second one before a one-digit day).
const SEED_TIMESTAMP = /^\*[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d\.\d{3}/;

/**
 * What the seed's syslog line becomes on this console: its time replaced by the console line's own
 * (`*Feb  1 17:05:37.108`, as `show logging` prints it), and each of `differs` (addresses, names, paths)
 * by the console's value. A test expects the console's line to be exactly this.
 */
export function seedSyslogLineAs(seed: string, consoleLine: string, differs: Record<string, string>): string {
  const seedTime = SEED_TIMESTAMP.exec(seed)?.[0];
  const consoleTime = SEED_TIMESTAMP.exec(consoleLine)?.[0];
  if (!seedTime || !consoleTime) throw new Error(`Not a syslog line with a timestamp: ${seedTime ? consoleLine : seed}`);
  return seedLineWith(seed, { [seedTime]: consoleTime, ...differs });
}

/**
 * The Web UI's AP table titles as the French copy keeps them (the screenshot's text, tab-separated). Its
 * column menus left `:` cells between columns and ` : ` inside two titles (`Primary Image (AP/ : Controller)`):
 * both are dropped.
 */
export function seedApTableTitles(): string[] {
  const header = seedLine('AP Name\tPrimary Image (AP/', 'ewc-non-homogeneous-ap-upgrade.fr.txt');
  return header
    .split('\t')
    .filter((cell) => cell !== ':' && cell !== '')
    .map((cell) => cell.replace(' : ', ''));
}

/**
 * The Software Upgrade form's field labels for a mode, top to bottom, as the French copy keeps the
 * screenshot (`Mode`, `Image Server*`, …, `Parallel Mode`), the required marks dropped.
 */
export function seedFormLabels(mode: 'TFTP' | 'SFTP'): string[] {
  const lines = seedLines('ewc-non-homogeneous-ap-upgrade.fr.txt');
  const start = lines.findIndex((line) => new RegExp(`\\tMode\\t${mode}\\b`).test(line));
  const end = lines.findIndex((line, i) => i > start && line.includes('\tParallel Mode\t'));
  if (start < 0 || end < 0) throw new Error(`The seed holds no ${mode} form`);
  return lines.slice(start, end + 1).map((line) => /\t(Mode|Image Server|Image Path|User Name|Password Type|Password|Port|Parallel Mode)\*?\t/.exec(line)?.[1] ?? '?');
}
