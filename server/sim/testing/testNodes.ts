import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './freeTcpPort';
import { exited, start, type Child } from './restartFaultInjection';

/** One console node process (consoleProcess.ts) a test started. */
export interface TestNode {
  child: Child;
  /** Its plain web port's origin, `http://127.0.0.1:PORT`. */
  url: string;
  /** What a browser sends as `Host` to that port. */
  host: string;
  /** Its HTTPS port's origin, when the test asked for one. */
  https: string | null;
  /** Its CLI port, or 0 when the test did not ask for one (the node then takes any free port). */
  cliPort: number;
  dataDir: string;
}

/**
 * Console node processes on one test database, each with its own data folder and ports, all on loopback:
 * what the several-nodes tests start, and stop (SIGKILL, then their folders removed) in `dispose`.
 */
export class TestNodes {
  private readonly children: Child[] = [];
  private readonly dirs: string[] = [];

  constructor(
    /** Names the data folders, so that a folder left behind says which test made it. */
    private readonly label: string,
    private readonly adminPassword: string,
  ) {}

  /** A temporary folder removed by `dispose`. */
  tempDir(name: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ewc-${this.label}-${name}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Starts node `name` with the database's environment (and any other settings in `env`). */
  async start(name: string, env: Record<string, string>, ports: { cli?: boolean; https?: boolean } = {}): Promise<TestNode> {
    const port = await freeTcpPort();
    const cliPort = ports.cli ? await freeTcpPort() : 0;
    const httpsPort = ports.https ? await freeTcpPort() : null;
    const dataDir = this.tempDir(name);
    const child = start(['server/sim/testing/consoleProcess.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      EWC_DATA_DIR: dataDir,
      EWC_NODE_NAME: name,
      EWC_LEADER_TIMEOUT_MS: '3000',
      EWC_DEMO: '0',
      EWC_ADMIN_PASSWORD: this.adminPassword,
      EWC_CAPWAP_PORT: String(await freeTcpPort()),
      EWC_CLI_PORT: String(cliPort),
      ...(httpsPort === null ? {} : { EWC_HTTPS_PORT: String(httpsPort) }),
      ...env,
    });
    this.children.push(child);
    return {
      child,
      url: `http://127.0.0.1:${port}`,
      host: `127.0.0.1:${port}`,
      https: httpsPort === null ? null : `https://127.0.0.1:${httpsPort}`,
      cliPort,
      dataDir,
    };
  }

  async dispose(): Promise<void> {
    for (const child of this.children.splice(0)) {
      if (child.process.exitCode !== null || child.process.signalCode !== null) continue;
      child.process.kill('SIGKILL');
      await exited(child);
    }
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP(S) request as a client sends it: from a chosen loopback address (127.0.0.2 is a client other than
 * the nodes themselves), the headers as given, over HTTPS trusting only `ca` when given.
 */
export function httpCall(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; from?: string; ca?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const common = { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from ?? '127.0.0.1' };
    const answered = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    };
    const sent = secure ? httpsRequest(url, { ...common, ca: options.ca }, answered) : httpRequest(url, common, answered);
    sent.on('error', reject);
    sent.end(options.body);
  });
}
