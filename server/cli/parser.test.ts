import { describe, expect, it } from 'vitest';
import { EXEC_COMMANDS } from './commands/execCommands';
import { HOSTNAME_PATTERN } from '../../lib/hostName';
import { defaultHostname } from './hostname';
import { sshSource } from './sshServer';
import { completeLine, helpFor, parseCommand } from './parser';
import { applyPipe, splitPipe } from './pipes';
import { MORE_PROMPT, Pager } from './pager';

const keywordsOf = (outcome: ReturnType<typeof parseCommand>) => (outcome.kind === 'command' ? (outcome.node.keyword ?? outcome.node.name) : outcome.kind);

describe('IOS command parsing', () => {
  it('takes any unique prefix of each word', () => {
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'sh ap im', true))).toBe('image');
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'SHOW AP SUMMARY', true))).toBe('summary');
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'conf t', true))).toBe('terminal');
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'wr mem', true))).toBe('memory');
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'copy run start', true))).toBe('startup-config');
  });

  it('says ambiguous when a prefix fits two keywords, incomplete when words are missing', () => {
    expect(parseCommand(EXEC_COMMANDS, 'c', true).kind).toBe('ambiguous'); // configure, copy
    expect(parseCommand(EXEC_COMMANDS, 'show ap', true).kind).toBe('incomplete');
    expect(parseCommand(EXEC_COMMANDS, 'terminal length', true).kind).toBe('incomplete');
  });

  it('points at the first word that matches nothing', () => {
    expect(parseCommand(EXEC_COMMANDS, 'show ap imagex', true)).toEqual({ kind: 'invalid', position: 8 });
    expect(parseCommand(EXEC_COMMANDS, 'show  foo', true)).toEqual({ kind: 'invalid', position: 6 });
    expect(parseCommand(EXEC_COMMANDS, 'terminal length 513', true)).toEqual({ kind: 'invalid', position: 16 });
    expect(parseCommand(EXEC_COMMANDS, 'show version now', true)).toEqual({ kind: 'invalid', position: 13 });
  });

  it('hides privileged commands from a monitor', () => {
    expect(parseCommand(EXEC_COMMANDS, 'configure terminal', false)).toEqual({ kind: 'invalid', position: 0 });
    expect(parseCommand(EXEC_COMMANDS, 'ap image predownload', false)).toEqual({ kind: 'invalid', position: 0 });
    // With configure and copy hidden, "c" is no longer ambiguous for a monitor: it matches nothing.
    expect(parseCommand(EXEC_COMMANDS, 'c', false).kind).toBe('invalid');
    expect(keywordsOf(parseCommand(EXEC_COMMANDS, 'sh ap im', false))).toBe('image');
  });

  it('gives ? help after a space and for a partial word, and completes with Tab', () => {
    const afterShow = helpFor(EXEC_COMMANDS, 'show ', true);
    expect(afterShow.map((l) => l.trim().split(/\s+/)[0])).toEqual(['ap', 'logging', 'privilege', 'running-config', 'version']);
    expect(helpFor(EXEC_COMMANDS, 'show ap image ', true)).toEqual(['  <cr>']);
    expect(helpFor(EXEC_COMMANDS, 'sh', true)).toEqual(['show']);
    expect(helpFor(EXEC_COMMANDS, 'c', true)).toEqual(['configure  copy']);
    expect(helpFor(EXEC_COMMANDS, 'terminal length ', true)[0]).toMatch(/^ {2}<0-512> +Number of lines/);
    expect(helpFor(EXEC_COMMANDS, 'bogus ', true)).toEqual(['% Unrecognized command']);
    expect(completeLine(EXEC_COMMANDS, 'sh ap im', true)).toBe('sh ap image ');
    expect(completeLine(EXEC_COMMANDS, 'c', true)).toBeNull();
  });
});

describe('output pipes', () => {
  const lines = ['hostname 9120-EWC', '!', 'wireless profile image-download default', ' image-download-mode tftp', ' tftp-image-server 10.0.0.5', '!', 'end'];

  it('filters with include, exclude, begin and section, abbreviated', () => {
    const run = (line: string) => {
      const split = splitPipe(line);
      if (!split.ok) throw new Error(`not a pipe: ${line}`);
      return applyPipe(lines, split.filter);
    };
    expect(run('show run | include tftp')).toEqual([' image-download-mode tftp', ' tftp-image-server 10.0.0.5']);
    expect(run('show run | i ^host')).toEqual(['hostname 9120-EWC']);
    expect(run('show run | exclude !')).toHaveLength(5);
    expect(run('show run | be wireless')).toEqual(lines.slice(2));
    expect(run('show run | sec image-download')).toEqual(lines.slice(2, 5));
    expect(run('show run | sec ^end')).toEqual(['end']);
  });

  it('reports a bad filter like IOS', () => {
    expect(splitPipe('show run | grep x')).toEqual({ ok: false, error: 'invalid', position: 11 });
    expect(splitPipe('show run | include')).toEqual({ ok: false, error: 'incomplete' });
    expect(splitPipe('show run | include (')).toMatchObject({ ok: false, error: 'invalid' });
  });
});

describe('--More-- paging', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);

  it('shows length-1 lines, then a page on space, a line on Enter, and stops on q', () => {
    const pager = new Pager(lines, 4);
    expect(pager.first()).toEqual({ lines: ['line 1', 'line 2', 'line 3'], more: true });
    expect(pager.key(' ')).toEqual({ lines: ['line 4', 'line 5', 'line 6'], more: true });
    expect(pager.key('\r')).toEqual({ lines: ['line 7'], more: true });
    expect(pager.key('q')).toEqual({ lines: [], more: false });
    expect(MORE_PROMPT.trim()).toBe('--More--');
  });

  it('shows everything with terminal length 0', () => {
    expect(new Pager(lines, 0).first()).toEqual({ lines, more: false });
  });
});

describe('names the CLI derives', () => {
  it('takes the default host name from the model of the AP that hosts the controller, as the seed names it', () => {
    expect(defaultHostname('C9120AXI-B')).toBe('9120-EWC');
    expect(defaultHostname(null)).toBe('EWC');
    expect(HOSTNAME_PATTERN.test('9120-EWC')).toBe(true);
    expect(HOSTNAME_PATTERN.test('-bad')).toBe(false);
    expect(HOSTNAME_PATTERN.test('a'.repeat(64))).toBe(false);
  });

  it('marks the audit source of a CLI action as SSH, without the IPv4-mapped prefix', () => {
    expect(sshSource('::ffff:10.0.0.7')).toBe('10.0.0.7 (ssh)');
    expect(sshSource('::1')).toBe('::1 (ssh)');
    expect(sshSource(undefined)).toBe('unknown (ssh)');
  });
});
