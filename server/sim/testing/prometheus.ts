import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freeTcpPort } from './freeTcpPort';

// Debian's Prometheus on loopback with its own configuration and storage folder, scraping the console.

const PROMETHEUS = '/usr/bin/prometheus';

export interface ScrapeJob {
  name: string;
  /** `127.0.0.1:PORT` of the console. */
  target: string;
  /** Either a bearer token or Basic credentials, each read by Prometheus from a file of its own. */
  bearerToken?: string;
  basic?: { username: string; password: string };
}

export interface RunningPrometheus {
  url: string;
  /** `GET /api/v1/query`: the instant vector's samples, as label sets and numbers. */
  query(expression: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** `GET /api/v1/query_range` with a one-second step. */
  queryRange(expression: string, startMs: number, endMs: number): Promise<{ metric: Record<string, string>; values: number[] }[]>;
  /** The scrape targets' health, as `GET /api/v1/targets` reports it. */
  targets(): Promise<{ job: string; health: string; lastError: string }[]>;
  stop(): Promise<void>;
}

function configuration(dir: string, jobs: ScrapeJob[]): string {
  const lines = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1s', 'scrape_configs:'];
  for (const job of jobs) {
    lines.push(`  - job_name: ${job.name}`, '    scrape_interval: 1s', '    scrape_timeout: 1s', '    static_configs:', `      - targets: ['${job.target}']`);
    if (job.bearerToken !== undefined) {
      const file = path.join(dir, `${job.name}.token`);
      fs.writeFileSync(file, job.bearerToken, { mode: 0o600 });
      lines.push('    authorization:', '      type: Bearer', `      credentials_file: ${file}`);
    }
    if (job.basic) {
      const file = path.join(dir, `${job.name}.password`);
      fs.writeFileSync(file, job.basic.password, { mode: 0o600 });
      lines.push('    basic_auth:', `      username: ${job.basic.username}`, `      password_file: ${file}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function startPrometheus(dir: string, jobs: ScrapeJob[]): Promise<RunningPrometheus> {
  if (!fs.existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: install the Debian package prometheus`);
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, configuration(dir, jobs));
  const port = await freeTcpPort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const api = async (pathAndQuery: string) => {
    const response = await fetch(`${url}${pathAndQuery}`);
    const body = (await response.json()) as { status: string; data: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error ?? response.status}`);
    return body.data;
  };
  for (let tries = 0; ; tries += 1) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || tries > 400) throw new Error(`prometheus did not start on ${url}: ${output.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    query: async (expression) => {
      const data = (await api(`/api/v1/query?query=${encodeURIComponent(expression)}`)) as { result: { metric: Record<string, string>; value: [number, string] }[] };
      return data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
    },
    queryRange: async (expression, startMs, endMs) => {
      const query = new URLSearchParams({ query: expression, start: String(startMs / 1000), end: String(endMs / 1000), step: '1' });
      const data = (await api(`/api/v1/query_range?${query}`)) as { result: { metric: Record<string, string>; values: [number, string][] }[] };
      return data.result.map((series) => ({ metric: series.metric, values: series.values.map(([, value]) => Number(value)) }));
    },
    targets: async () => {
      const data = (await api('/api/v1/targets')) as { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
      return data.activeTargets.map((target) => ({ job: target.labels.job, health: target.health, lastError: target.lastError }));
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
