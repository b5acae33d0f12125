import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshKeysApi } from '../http/sshKeysApi';
import { ADMIN, startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';

const run = promisify(execFile);

let harness: ConsoleHarness;
let port: number;
let keyFile: string;

beforeAll(async () => {
  harness = await startConsoleHarness();
  port = await harness.instance.cli.listening;
  // A key made by OpenSSH's own ssh-keygen, added as an admin pastes it on the page.
  keyFile = path.join(harness.config.dataDir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'script@host', '-f', keyFile]);
  const added = await new SshKeysApi(harness.instance.sshKeys, harness.instance.auth).add('admin', { publicKey: fs.readFileSync(`${keyFile}.pub`, 'utf8') }, ADMIN);
  expect(added.status).toBe(201);
});

afterAll(async () => {
  await harness?.dispose();
});

/** `ssh` as a script runs it: batch mode, the console's key, a throw-away known_hosts. */
function ssh(args: string[], input: string): Promise<{ output: string; code: number | null }> {
  const options = ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(harness.config.dataDir, 'known_hosts')}`];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...options, '-i', keyFile, '-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
    child.stdin.end(input);
  });
}

describe("the CLI with OpenSSH's ssh client", () => {
  it('runs a script piped into an interactive session to its last line, exit included', async () => {
    const { output, code } = await ssh(['-tt', 'admin@127.0.0.1'], 'terminal length 0\nshow version\nshow ap image | include Total\nexit\n');
    expect(code).toBe(0);
    expect(output).toContain('EWC#show version\r\nCisco IOS XE Software, Version 17.09.04a');
    expect(output).toContain('EWC#show ap image | include Total\r\nTotal number of APs  : 0\r\nEWC#exit');
  });

  it('runs one command given on the command line and reports an error through the exit status', async () => {
    const ok = await ssh(['admin@127.0.0.1', 'show privilege'], '');
    expect(ok).toEqual({ output: 'Current privilege level is 15\n', code: 0 });
    const bad = await ssh(['admin@127.0.0.1', 'show nothing'], '');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("% Invalid input detected at '^' marker.");
  });
});
