import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY } from '../sim/testing/postgresServer';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { exited, waitForOutput } from '../sim/testing/restartFaultInjection';
import { TestNodes } from '../sim/testing/testNodes';
import { SourcePreambleProof } from './sourcePreamble';

// Two console processes on one PostgreSQL database: B, which does not lead, passes its CLI port on to A's CLI.
const postgres = postgresServerForFile();
const PASSWORD = 'cli-forward-admin';
const ALIAS = 'ewc-controller';
const run = promisify(execFile);

const nodes = new TestNodes('cli-forward', PASSWORD);
afterEach(() => nodes.dispose());
const tempDir = (name: string) => nodes.tempDir(name);
const node = (name: string, databaseEnv: Record<string, string>) => nodes.start(name, databaseEnv, { cli: true });

/**
 * OpenSSH's `ssh HOST COMMAND` as a user runs it: the password typed (through SSH_ASKPASS), the host key checked
 * strictly against `knownHosts`, under one name for every node (HostKeyAlias, as a load balancer's name would be).
 */
async function ssh(port: number, knownHosts: string, command: string, from = '127.0.0.1'): Promise<{ output: string; errors: string; code: number | null }> {
  const askpass = path.join(path.dirname(knownHosts), 'askpass.sh');
  fs.writeFileSync(askpass, `#!/bin/sh\necho '${PASSWORD}'\n`, { mode: 0o700 });
  const options = [
    'StrictHostKeyChecking=yes',
    `UserKnownHostsFile=${knownHosts}`,
    `HostKeyAlias=${ALIAS}`,
    'PubkeyAuthentication=no',
    'PreferredAuthentications=password',
    'NumberOfPasswordPrompts=1',
  ];
  const args = [...options.flatMap((option) => ['-o', option]), '-b', from, '-p', String(port), 'admin@127.0.0.1', command];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: '' } });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, errors, code }));
  });
}

async function auditLines(url: string): Promise<{ username: string; sourceAddress: string; action: string }[]> {
  return (await (await fetch(`${url}/test/audit`)).json()) as { username: string; sourceAddress: string; action: string }[];
}

/** Sends `first` straight to a CLI port from 127.0.0.3 and resolves once the server closed the connection. */
function sendRaw(port: number, first: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.3' }, () => socket.write(first));
    socket.on('data', () => undefined);
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

/** A password attempt over a connection that starts with `preamble`: resolves with the SSH error, as the server saw the client. */
function passwordAttempt(port: number, preamble: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.3' }, () => {
      socket.write(preamble);
      const client = new Client();
      client.on('error', (error) => resolve(error.message));
      client.on('ready', () => resolve('logged in'));
      client.on('close', () => resolve('closed'));
      client.connect({ sock: socket, username: 'admin', password: 'not the password', readyTimeout: 20_000 });
    });
  });
}

describe('the CLI port of a console node that does not lead', () => {
  it("passes ssh on to the leader's CLI with the client's address proven, under the host key every node shares, which the standby serves once it leads", async () => {
    const databaseEnv = await postgres.consoleEnv();
    const a = await node('A', databaseEnv);
    await waitForOutput(a.child, 'console listening');
    const b = await node('B', databaseEnv);
    await waitForOutput(b.child, 'node B: standing by, node A leads');

    // The key the user trusted on first contact with A, under the one name.
    const work = tempDir('client');
    const knownHosts = path.join(work, 'known_hosts');
    const scanned = (await run('ssh-keyscan', ['-t', 'ecdsa', '-p', String(a.cliPort), '127.0.0.1'])).stdout.trim();
    const hostKey = scanned.split(' ').slice(1).join(' ');
    fs.writeFileSync(knownHosts, `${ALIAS} ${hostKey}\n`);
    // B, standing by, already holds that key in its data folder.
    expect(fs.readFileSync(path.join(b.dataDir, 'cli-ssh-host-key'), 'utf8')).toBe(fs.readFileSync(path.join(a.dataDir, 'cli-ssh-host-key'), 'utf8'));

    // Through B, from another client address: A's answer, and A's audit names the client, not B.
    const onA = await ssh(a.cliPort, knownHosts, 'show ap image');
    expect(onA.code, onA.errors).toBe(0);
    expect(onA.output).toContain('Total number of APs  : 0');
    const throughB = await ssh(b.cliPort, knownHosts, 'show ap image', '127.0.0.2');
    expect(throughB.code, throughB.errors).toBe(0);
    expect(throughB.output).toBe(onA.output);
    expect(throughB.errors).not.toContain('WARNING');
    const logins = (await auditLines(a.url)).filter((line) => line.action === 'login').map((line) => line.sourceAddress);
    expect(logins.sort()).toEqual(['127.0.0.1 (ssh)', '127.0.0.2 (ssh)']);

    // Straight to A: a forged preamble and a real one replayed are refused (closed, and logged); the real one,
    // the first time, makes its client the address it names.
    const now = Date.now();
    const forged = `EWC-FORWARDED-TCP/1 cli B 10.9.8.7 ${Math.floor(now / 1000)} ${'n'.repeat(22)} ${'A'.repeat(43)}\r\n`;
    await sendRaw(a.cliPort, `${forged}SSH-2.0-OpenSSH_9.2\r\n`);
    await waitForOutput(a.child, 'CLI: refused a connection from 127.0.0.3: its forwarding preamble has a wrong HMAC');
    const otherKey = new SourcePreambleProof(Buffer.alloc(32, 7).toString('base64'), 'cli').line({ node: 'B', address: '10.9.8.7' });
    await sendRaw(a.cliPort, otherKey);
    const real = new SourcePreambleProof(TEST_SECRET_KEY, 'cli').line({ node: 'B', address: '10.9.8.6' });
    expect(await passwordAttempt(a.cliPort, real)).toMatch(/authentication methods failed/i);
    expect(await passwordAttempt(a.cliPort, real)).not.toBe('logged in');
    await waitForOutput(a.child, 'CLI: refused a connection from 127.0.0.3: its forwarding preamble was used before (a replay)');
    const failures = (await auditLines(a.url)).filter((line) => line.action === 'login.failed').map((line) => line.sourceAddress);
    expect(failures).toEqual(['10.9.8.6 (ssh)']);
    // Without a preamble a connection is an ordinary client's, from its own address.
    expect(await passwordAttempt(a.cliPort, '')).toMatch(/authentication methods failed/i);
    expect((await auditLines(a.url)).filter((line) => line.action === 'login.failed').map((line) => line.sourceAddress)).toEqual(['10.9.8.6 (ssh)', '127.0.0.3 (ssh)']);

    // A killed: once B leads, its own CLI answers on its port with the same key, so the same known_hosts holds.
    a.child.process.kill('SIGKILL');
    await exited(a.child);
    await waitForOutput(b.child, 'console listening', 60_000);
    const onB = await ssh(b.cliPort, knownHosts, 'show ap image', '127.0.0.2');
    expect(onB.code, onB.errors).toBe(0);
    expect(onB.output).toBe(onA.output);
    expect(onB.errors).not.toContain('WARNING');
    const fromClient = (await auditLines(b.url)).filter((line) => line.action === 'login' && line.sourceAddress === '127.0.0.2 (ssh)');
    expect(fromClient).toHaveLength(2);
  }, 180_000);
});
