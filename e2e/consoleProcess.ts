import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { freeTcpPort } from '../server/sim/testing/freeTcpPort';

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface ConsoleProcess {
  url: string;
  /** The same console on its HTTPS port (read once the console printed it: a standby node has none yet). */
  readonly httpsUrl: string;
  dataDir: string;
  output: () => string;
  /** Resolves once the console printed `text`; fails if it exits first or after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Sends a signal to the running console (SIGHUP: reload the HTTPS certificate). */
  signal(signal: NodeJS.Signals): void;
  /** Sends a signal to the console and resolves with its exit status once it has exited (the data folder stays). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts the built console as `npm start` does, with its embedded demo, on free ports and a fresh data folder.
 * `env` overrides any of them. Returns once the console printed its fleet line (with or without a demo fleet),
 * or `readyWhen` when given: a node standing by on PostgreSQL prints `standing by` and no fleet line until it leads.
 */
export async function startConsole(env: Record<string, string> = {}, options: { readyWhen?: string } = {}): Promise<ConsoleProcess> {
  const root = path.resolve(import.meta.dirname, '..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-'));
  const port = await freeTcpPort();
  const tftpPort = await freeTcpPort();
  const sftpPort = await freeTcpPort();
  const catalogPort = await freeTcpPort();
  const capwapPort = await freeTcpPort();
  let output = '';
  // As `npm start` runs it: Node with tsx's loader, so a signal reaches the console itself.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      EWC_DATA_DIR: dataDir,
      EWC_DEMO_TFTP_PORT: String(tftpPort),
      EWC_DEMO_SFTP_PORT: String(sftpPort),
      EWC_DEMO_CATALOG_PORT: String(catalogPort),
      EWC_CAPWAP_PORT: String(capwapPort),
      EWC_HTTPS_PORT: '0',
      EWC_RELOAD_MS: '500',
      EWC_CLI_PORT: '0',
      EWC_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const waitForOutput = async (text: string, timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`The console did not print "${text}":\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  // "simulated fleet" is in both fleet lines: "  simulated fleet: …" and "  no simulated fleet: …".
  await waitForOutput(options.readyWhen ?? 'simulated fleet');
  const https = () => {
    // The HTTPS port is picked by the console itself (one port fewer chosen here and bound later by someone else).
    const httpsPort = /HTTPS: https:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
    if (!httpsPort) throw new Error(`The console printed no HTTPS URL:\n${output}`);
    return `https://127.0.0.1:${httpsPort}`;
  };
  if (!options.readyWhen) https();
  return {
    url,
    get httpsUrl() {
      return https();
    },
    dataDir,
    output: () => output,
    waitForOutput,
    signal: (signal) => {
      child.kill(signal);
    },
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      return child.exitCode;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login page, as a person would, and lands on the page asked for. */
export async function logIn(page: Page, consoleProcess: ConsoleProcess, username = 'admin', password = ADMIN_PASSWORD, path = '/'): Promise<void> {
  await page.goto(`${consoleProcess.url}${path}`);
  await page.getByLabel('User Name', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}
