import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freeTcpPort } from './freeTcpPort';
import { freeUdpPort } from './tftpdHpa';

// Debian's rsyslog on loopback, with its own configuration and work folder: a real syslog server for the
// console's `logging host` feeds. Its file holds each message exactly as received (rsyslog's %rawmsg%).

const RSYSLOGD = '/usr/sbin/rsyslogd';

export interface RunningRsyslog {
  udpPort: number;
  tcpPort: number;
  /** The file rsyslog writes: one received message per line, byte for byte. */
  file: string;
  /** The lines written so far. */
  lines(): string[];
  /** Stops rsyslogd (SIGTERM) and waits for it to exit; `start()` brings it back on the same ports and file. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

function configuration(dir: string, udpPort: number, tcpPort: number, file: string): string {
  return [
    `global(workDirectory="${path.join(dir, 'work')}")`,
    'module(load="imudp")',
    'module(load="imtcp")',
    `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
    `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
    // %rawmsg% is the message as it arrived (the octet count of a TCP frame taken off), so a test checks the bytes the console sent.
    'template(name="raw" type="string" string="%rawmsg%\\n")',
    `*.* action(type="omfile" file="${file}" template="raw")`,
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRsyslog(dir: string): Promise<RunningRsyslog> {
  if (!fs.existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing: install the Debian package rsyslog`);
  fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
  const udpPort = await freeUdpPort();
  const tcpPort = await freeTcpPort();
  const file = path.join(dir, 'messages');
  const config = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(config, configuration(dir, udpPort, tcpPort, file));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    let output = '';
    const started = spawn(RSYSLOGD, ['-n', '-f', config, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    // Both inputs are bound before rsyslog runs its main loop: once TCP accepts, UDP listens too.
    for (let tries = 0; !(await accepts(tcpPort)); tries += 1) {
      if (started.exitCode !== null || tries > 200) throw new Error(`rsyslogd did not start on 127.0.0.1:${tcpPort}: ${output.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    child = null;
  };
  await start();
  const lines = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : []);
  return { udpPort, tcpPort, file, lines, stop, start };
}
