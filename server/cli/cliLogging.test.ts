import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, TEST_ADMIN_PASSWORD, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startRsyslog, type RunningRsyslog } from '../sim/testing/rsyslog';
import { SshShell } from '../sim/testing/sshShell';
import { createUser } from '../app/users/createUser';

// `logging host`, `logging trap` and their `no` forms typed over SSH, as on IOS, checked in show output,
// in the audit trail and at a real rsyslog server.

let harness: ConsoleHarness;
let rsyslog: RunningRsyslog;
let work: string;
let port: number;
const shells: SshShell[] = [];
const login = (username: string, password: string) => SshShell.open(port, { username, password }).then((s) => (shells.push(s), s));

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-cli-logging-'));
  rsyslog = await startRsyslog(work);
  harness = await startConsoleHarness();
  port = await harness.instance.cli.listening;
});

afterAll(async () => {
  for (const shell of shells) shell.close();
  await harness?.dispose();
  await rsyslog?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('logging in the CLI', () => {
  it('configures a syslog host and a trap level as IOS does, and rsyslog gets only the lines at or above the level', async () => {
    const shell = await login('admin', TEST_ADMIN_PASSWORD);
    await shell.waitFor(/EWC#$/);
    await shell.command('configure terminal');
    expect(await shell.command('logging host 224.0.0.9')).toContain('% Error: Logging settings not saved: Enter the address of a host, not a multicast address (hosts.0.address)');
    expect(await shell.command('logging host 127.0.0.1 transport tcp port 0')).toContain("% Invalid input detected at '^' marker.");
    const added = await shell.command(`logging host 127.0.0.1 transport tcp port ${rsyslog.tcpPort}`);
    expect(added).not.toContain('%');
    // The line that says the host was added is the first one the host gets.
    await waitFor(
      'the start line at rsyslog',
      () => rsyslog.lines(),
      (lines) => lines.length === 1,
    );
    expect(rsyslog.lines()[0]).toMatch(
      new RegExp(
        `^<190>\\d+: \\*\\w{3} [ \\d]\\d [\\d:.]+: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127\\.0\\.0\\.1 \\(tcp port ${rsyslog.tcpPort}\\) started - configured by admin from 127\\.0\\.0\\.1 \\(ssh\\)$`,
      ),
    );
    await shell.command('logging trap warn');
    await shell.command('logging facility local5');
    await shell.command('end');

    expect(await shell.command('show running-config | include logging')).toContain(
      `logging trap warnings\r\nlogging facility local5\r\nlogging host 127.0.0.1 transport tcp port ${rsyslog.tcpPort}\r\n`,
    );
    const shown = await shell.command('show logging');
    expect(shown).toContain('    Trap logging: level warnings, ');
    expect(shown).toContain(
      `        Logging to 127.0.0.1  (tcp port ${rsyslog.tcpPort}, link up),\r\n              1 message lines logged,\r\n              0 message lines queued (at most 1000),\r\n              0 message lines dropped (queue full)\r\n`,
    );
    expect(await harness.instance.auth.audit.exportText()).toMatch(/admin@127\.0\.0\.1 \(ssh\) logging\.change host 127\.0\.0\.1 \(tcp port \d+\) added/);

    // A lockout is a warning: it reaches rsyslog, under local5 (21 × 8 + 4); the informational lines around it do not.
    for (let i = 0; i < 5; i++) await expect(SshShell.open(port, { username: 'nobody', password: `wrong-${i}` })).rejects.toThrow(/authentication/i);
    const lines = await waitFor(
      'the lockout line at rsyslog',
      () => rsyslog.lines(),
      (all) => all.length === 2,
    );
    expect(lines[1]).toMatch(/^<172>\d+: \*\w{3} [ \d]\d [\d:.]+: %AUTH-4-ACCOUNT_LOCKED: Account nobody locked after 5 failed logins from 127\.0\.0\.1 \(ssh\), until /);

    await shell.command('configure terminal');
    await shell.command('no logging host 127.0.0.1');
    await shell.command('no logging trap');
    await shell.command('no logging facility');
    await shell.command('end');
    expect(await shell.command('show running-config | include logging')).not.toMatch(/^logging /m);
    expect(harness.instance.logging.view().hosts).toEqual([]);
  }, 60_000);

  it('shows a monitor the feeds but not the configuration commands', async () => {
    await createUser(
      harness.instance.auth.accounts,
      { username: 'watcher', password: 'quiet-Harbor-Lantern-42', role: 'monitor' },
      { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' },
    );
    const shell = await login('watcher', 'quiet-Harbor-Lantern-42');
    await shell.waitFor(/EWC>$/);
    expect(await shell.command('show logging')).toContain('    Trap logging: level informational, ');
    expect(await shell.command('configure terminal')).toContain("% Invalid input detected at '^' marker.");
  }, 30_000);
});
