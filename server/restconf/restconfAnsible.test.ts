import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import { TEST_ADMIN_PASSWORD } from '../sim/testing/httpsConsole';
import { ACCESS_POINT_OPER } from './accessPointOper';
import { AP_GLOBAL_OPER, predownloadStats } from './apGlobalOper';
import { startSettledPredownload, type SettledPredownload } from '../sim/testing/settledPredownload';
import { expectValidJsonAnswer } from '../sim/testing/yanglint';
import { yangMac } from './yangValues';

const run = promisify(execFile);
const PLAYBOOK = path.join(import.meta.dirname, '..', 'sim', 'testing', 'restconfGet.yml');

// Ansible's json stdout callback: per task, what the host answered.
const playbookResult = z.object({
  plays: z.array(
    z.object({
      tasks: z.array(
        z.object({ task: z.object({ name: z.string() }), hosts: z.record(z.string(), z.object({ failed: z.boolean().optional(), msg: z.string().optional(), response: z.unknown().optional() })) }),
      ),
    }),
  ),
  stats: z.record(z.string(), z.object({ failures: z.number(), unreachable: z.number(), ok: z.number() })),
});

let dir: string;
let settled: SettledPredownload;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-restconf-ansible-'));
  settled = await startSettledPredownload(dir);
}, 180_000);

afterAll(async () => {
  await settled?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RESTCONF driven by Ansible (Debian ansible: ansible.netcommon.restconf_get over httpapi)', () => {
  it('reads the counters and every AP during a predownload, the same numbers as GET /api/ap-image', async () => {
    const c = settled.console;
    const inventory = path.join(dir, 'inventory.ini');
    const vars = {
      ansible_host: '127.0.0.1',
      ansible_httpapi_port: new URL(c.httpsUrl).port,
      ansible_user: 'admin',
      ansible_password: TEST_ADMIN_PASSWORD,
      ansible_connection: 'ansible.netcommon.httpapi',
      ansible_network_os: 'ansible.netcommon.restconf',
      ansible_httpapi_use_ssl: 'true',
      ansible_httpapi_validate_certs: 'true',
    };
    fs.writeFileSync(
      inventory,
      `[ewc]\ncontroller ${Object.entries(vars)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}\n`,
    );
    const before = c.instance.api.getApImage().body as ApImageReport;
    const { stdout } = await run('/usr/bin/ansible-playbook', ['-i', inventory, PLAYBOOK], {
      timeout: 150_000,
      maxBuffer: 16 * 1024 * 1024,
      // The console's CA, as a NOC host that trusts it (Python's ssl reads SSL_CERT_FILE): the certificate is verified, not waved through.
      env: {
        ...process.env,
        SSL_CERT_FILE: path.join(c.instance.trust.pkiDir, 'ca.crt'),
        ANSIBLE_STDOUT_CALLBACK: 'json',
        ANSIBLE_LOCAL_TEMP: path.join(dir, 'ansible-tmp'),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR: path.join(dir, 'ansible-pc'),
      },
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`ansible-playbook failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    const after = c.instance.api.getApImage().body as ApImageReport;
    const result = playbookResult.parse(JSON.parse(stdout));
    expect(result.stats.controller).toMatchObject({ failures: 0, unreachable: 0 });
    const task = (name: string) => result.plays[0].tasks.find((t) => t.task.name === name)!.hosts.controller;

    // Every answer Ansible got is valid against Cisco's modules.
    const stats = task('Read the predownload counters').response as Record<string, unknown>;
    await expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], JSON.stringify(stats));
    const aps = task("Read every AP's image transfer").response as Record<string, Record<string, unknown>[]>;
    await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], JSON.stringify(aps));

    // The counters are settled: the same before, during and after Ansible's read.
    expect(after.summary).toEqual(before.summary);
    expect(stats[`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]).toMatchObject({
      'predownload-stats': predownloadStats(before.summary),
      'downloads-in-progress': before.summary.downloading,
      'downloads-complete': before.summary.completedDownloading,
    });
    expect(task('Say how far the predownload is').msg).toBe(`${before.summary.completedPredownloading} of ${before.summary.totalAps} APs complete`);
    // Each AP as the API shows it; the one still receiving moved between the two API reads, and Ansible's figure is within them.
    const entries = aps[`${ACCESS_POINT_OPER}:capwap-data`];
    expect(entries.map((e) => e['wtp-mac'])).toEqual(before.aps.map((ap) => yangMac(ap.mac)));
    for (const [i, entry] of entries.entries()) {
      expect(entry.name).toBe(before.aps[i].name);
      expect(entry['image-size-percentage']).toBeGreaterThanOrEqual(Math.floor(before.aps[i].percent));
      expect(entry['image-size-percentage']).toBeLessThanOrEqual(Math.floor(after.aps[i].percent));
    }
    // A RESTCONF read is audited as a login of its own kind, and opens no web session.
    expect((await c.instance.auth.audit.recent()).filter((e) => e.sourceAddress === '127.0.0.1 (restconf)').map((e) => e.action)).toEqual(['login']);
  }, 200_000);
});
