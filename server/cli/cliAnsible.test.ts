import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { startConsoleHarness, TEST_ADMIN_PASSWORD, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

const run = promisify(execFile);
const PLAYBOOK = path.join(import.meta.dirname, '..', 'sim', 'testing', 'ansibleUpgrade.yml');
const FLEET = DEMO_FLEET.slice(0, 3);

// Ansible's json stdout callback: per task, what the host answered.
const playbookResult = z.object({
  plays: z.array(
    z.object({
      tasks: z.array(
        z.object({
          task: z.object({ name: z.string() }),
          hosts: z.record(z.string(), z.object({ failed: z.boolean().optional(), changed: z.boolean().optional(), stdout: z.array(z.string()).optional(), msg: z.string().optional() })),
        }),
      ),
    }),
  ),
  stats: z.record(z.string(), z.object({ failures: z.number(), unreachable: z.number(), ok: z.number() })),
});

let dir: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-cli-ansible-'));
  ensureDemoBundle(dir, 'scaled');
  tftpd = await startTftpdHpa({ root: dir });
  harness = await startConsoleHarness();
  await harness.startFleet(FLEET);
});

afterAll(async () => {
  await harness?.dispose();
  await tftpd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CLI driven by Ansible (Debian ansible: cisco.ios over ansible.netcommon.network_cli)', () => {
  it('configures the profile with ios_config, predownloads and waits with ios_command until every AP is Complete', async () => {
    const port = await harness.instance.cli.listening;
    const inventory = path.join(dir, 'inventory.ini');
    const vars = {
      ansible_host: '127.0.0.1',
      ansible_port: port,
      ansible_user: 'admin',
      ansible_password: TEST_ADMIN_PASSWORD,
      ansible_connection: 'ansible.netcommon.network_cli',
      ansible_network_os: 'cisco.ios.ios',
      // Debian ships paramiko, not ansible-pylibssh.
      ansible_network_cli_ssh_type: 'paramiko',
      tftp_server: '127.0.0.1',
      tftp_port: tftpd.port,
      image_path: DEMO_IMAGE_PATH,
      ap_count: FLEET.length,
    };
    fs.writeFileSync(
      inventory,
      `[ewc]\ncontroller ${Object.entries(vars)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}\n`,
    );
    const { stdout } = await run('/usr/bin/ansible-playbook', ['-i', inventory, PLAYBOOK], {
      timeout: 150_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_STDOUT_CALLBACK: 'json',
        ANSIBLE_LOCAL_TEMP: path.join(dir, 'ansible-tmp'),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR: path.join(dir, 'ansible-pc'),
      },
    });
    const result = playbookResult.parse(JSON.parse(stdout));
    expect(result.stats.controller).toMatchObject({ failures: 0, unreachable: 0 });
    const task = (name: string) => result.plays[0].tasks.find((t) => t.task.name === name)!.hosts.controller;

    expect(task('Configure the image download profile').changed).toBe(true);
    expect(task('Start the predownload').stdout![0]).toMatch(/^AP image predownload started \(upgrade \d+\)/);
    const image = task('Wait until every AP completed its predownload').stdout![0];
    for (const ap of FLEET) expect(image).toMatch(new RegExp(`^${ap.name.replace(/\./g, '\\.')} +17\\.9\\.4\\.27 +${DEMO_BUNDLE_VERSION.replace(/\./g, '\\.')} +Complete `, 'm'));
    expect(task('Read the running configuration back').stdout![0]).toContain(` tftp-image-port ${tftpd.port}`);

    // The console agrees: the profile Ansible configured, every AP Complete, and the trail says it came over SSH.
    expect(harness.instance.api.getProfile().body).toMatchObject({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port });
    const report = harness.instance.api.getApImage().body as ApImageReport;
    expect(report.aps.map((ap) => ap.predownloadStatus)).toEqual(FLEET.map(() => 'Complete'));
    const sshActions = (await harness.instance.auth.audit.recent()).filter((e) => e.sourceAddress === '127.0.0.1 (ssh)').map((e) => e.action);
    expect(sshActions).toEqual(expect.arrayContaining(['login', 'profile.save', 'upgrade.download']));
  });
});
