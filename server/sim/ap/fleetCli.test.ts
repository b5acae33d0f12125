import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../../lib/apImage';
import { DEMO_FLEET } from '../demo/demoFleet';
import { fleetCliTrustArgs, startConsoleHarness, waitFor, type ConsoleHarness } from '../testing/consoleHarness';
import { freeTcpPort } from '../testing/freeTcpPort';

const A = 'https://127.0.0.1:5301';
const B = 'https://127.0.0.1:5302';
const C = 'https://127.0.0.1:5303';

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

describe('npm run fleet', () => {
  it('runs simulated APs as a separate process that enrol with the join token file, join the AP port and leave when stopped', async () => {
    harness = await startConsoleHarness();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-cli-'));
    const fleet = spawn(path.resolve('node_modules/.bin/tsx'), ['server/sim/ap/fleetCli.ts', '--controller', harness.capwapUrl, '--count', '8', '--data-dir', storage, ...fleetCliTrustArgs(harness)], {
      stdio: 'pipe',
    });
    let output = '';
    fleet.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const report = () => harness!.instance.api.getApImage().body as ApImageReport;
      await waitFor('8 APs joined', report, (r) => r.aps.filter((ap) => ap.connected).length === 8, 30_000);
      expect(new Set(report().aps.map((ap) => ap.imageType)).size).toBe(7);
      await waitFor(
        'the CLI to say so',
        () => output,
        (text) => text.includes(`8 APs joined ${harness!.capwapUrl}`),
        5_000,
      );
      // Each AP holds its own key (mode 0600) and the certificate the console issued for its MAC.
      const apDirs = fs.readdirSync(storage);
      expect(apDirs).toHaveLength(8);
      expect(fs.statSync(path.join(storage, apDirs[0], 'ap.key')).mode & 0o077).toBe(0);
      expect((await harness.instance.trust.list()).map((ap) => ap.status)).toEqual(Array(8).fill('approved'));

      const exited = new Promise<number | null>((resolve) => fleet.once('exit', resolve));
      fleet.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitFor('APs shown disconnected', report, (r) => r.aps.every((ap) => !ap.connected), 10_000);
    } finally {
      fleet.kill('SIGKILL');
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  it('spreads a large fleet over several processes, digest only, and stops them together', async () => {
    harness = await startConsoleHarness();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-cli-'));
    const args = ['server/sim/ap/fleetCli.ts', '--controller', harness.capwapUrl, '--count', '10', '--processes', '2', '--digest-only', '--data-dir', storage, ...fleetCliTrustArgs(harness)];
    const fleet = spawn(path.resolve('node_modules/.bin/tsx'), args, { stdio: 'pipe' });
    let output = '';
    fleet.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const report = () => harness!.instance.api.getApImage().body as ApImageReport;
      await waitFor(
        'the parent to report every AP',
        () => output,
        (text) => text.includes(`10 APs joined ${harness!.capwapUrl} (2 processes)`),
        30_000,
      );
      expect(report().aps.filter((ap) => ap.connected)).toHaveLength(10);
      expect(output).toContain('digest only: each AP verifies its images by SHA-256 and keeps the digest, not the file');
      const exited = new Promise<number | null>((resolve) => fleet.once('exit', resolve));
      fleet.kill('SIGTERM');
      expect(await exited).toBe(0);
      await waitFor('APs shown disconnected', report, (r) => r.aps.every((ap) => !ap.connected), 10_000);
    } finally {
      fleet.kill('SIGKILL');
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  it('refuses a bad command line with its usage', async () => {
    const { code, stderr } = await runCli(['--count', 'many']);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run fleet -- --controller https://HOST:AP_PORT[,SECONDARY[,TERTIARY]]');
  });

  it.each([
    [`${A},${B},${C},https://127.0.0.1:9`, '--controller: an AP has at most 3 controllers (primary, secondary, tertiary)'],
    [`${A},http://127.0.0.1:5302`, '--controller: [1] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)'],
    [`${A},${B},${A}`, `--controller: ${A} is listed twice: each controller once`],
  ])('refuses the controller list %s with what is wrong and its usage', async (list, message) => {
    const { code, stderr } = await runCli(['--controller', list, '--count', '1']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(message);
    expect(stderr).toContain('usage: npm run fleet');
  });

  it('refuses a fleet file whose AP lists a controller that is not https://HOST:PORT, naming the AP entry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-file-'));
    try {
      const file = path.join(dir, 'fleet.json');
      fs.writeFileSync(
        file,
        JSON.stringify([
          { ...DEMO_FLEET[2], controllers: [A, B] },
          { ...DEMO_FLEET[3], controllers: [A, 'https://127.0.0.1'] },
        ]),
      );
      const { code, stderr } = await runCli(['--controller', A, '--file', file]);
      expect(code).toBe(1);
      expect(stderr).toContain(`Invalid fleet file ${file}:\n  [1.controllers.1] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs an AP on the controllers its fleet file entry lists, in place of --controller, moving on to its secondary', async () => {
    harness = await startConsoleHarness();
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-cli-'));
    // Nothing listens on these: the command line's controller, and the AP's own primary.
    const [cliController, primary] = [`https://127.0.0.1:${await freeTcpPort()}`, `https://127.0.0.1:${await freeTcpPort()}`];
    const file = path.join(storage, 'fleet.json');
    fs.writeFileSync(file, JSON.stringify([{ ...DEMO_FLEET[2], controllers: [primary, harness.capwapUrl] }]));
    const fleet = spawn(
      path.resolve('node_modules/.bin/tsx'),
      ['server/sim/ap/fleetCli.ts', '--controller', cliController, '--file', file, '--data-dir', path.join(storage, 'aps'), ...fleetCliTrustArgs(harness)],
      {
        stdio: 'pipe',
      },
    );
    let output = '';
    fleet.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(
        'the AP to join its secondary',
        () => output,
        (text) => text.includes(`1 APs joined ${harness!.capwapUrl}`),
        30_000,
      );
      const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
      expect(lines.some((line) => line.endsWith(`${DEMO_FLEET[2].name}: Joined secondary controller ${harness!.capwapUrl}`))).toBe(true);
      // SIGTERM, which the tsx wrapper passes on: a SIGKILL to the wrapper alone would leave the fleet running.
      const exited = new Promise<number | null>((resolve) => fleet.once('exit', resolve));
      fleet.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      fleet.kill('SIGKILL');
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });
});

async function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const run = spawn(path.resolve('node_modules/.bin/tsx'), ['server/sim/ap/fleetCli.ts', ...args], { stdio: 'pipe' });
  let stderr = '';
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
  return { code, stderr };
}
