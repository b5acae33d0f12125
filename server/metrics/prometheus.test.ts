import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startPrometheus, type RunningPrometheus } from '../sim/testing/prometheus';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { createUser } from '../app/users/createUser';

// Debian's Prometheus scrapes GET /metrics every second during a real predownload (tftpd-hpa, AP agents
// on throttled links), once with the bearer token and once as a monitor with HTTP Basic; its HTTP API
// must then show what the console did.

const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';
const FLEET_SIZE = 8;
const IMAGE_BYTES = 192 * 1024;
const MONITOR = { username: 'grafana', password: 'scrape-Heron-Lantern-77' };

let work: string;
let tftpd: RunningTftpd;
let harness: ConsoleHarness;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-prometheus-'));
  fs.mkdirSync(path.join(work, 'bundle'));
  fs.mkdirSync(path.join(work, 'prometheus'));
  ensureDemoBundle(path.join(work, 'bundle'), IMAGE_BYTES);
  tftpd = await startTftpdHpa({ root: path.join(work, 'bundle') });
  harness = await startConsoleHarness({ EWC_METRICS_TOKEN: TOKEN, EWC_MAX_CONCURRENT_PREDOWNLOADS: '3' });
  await createUser(harness.instance.auth.accounts, { ...MONITOR, role: 'monitor' }, { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' });
  const target = new URL(harness.url).host;
  prometheus = await startPrometheus(path.join(work, 'prometheus'), [
    { name: 'ewc', target, bearerToken: TOKEN },
    { name: 'ewc-monitor', target, basic: MONITOR },
  ]);
});

afterAll(async () => {
  await prometheus?.stop();
  await harness?.dispose();
  await tftpd?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const value = async (expression: string) => (await prometheus.query(expression))[0]?.value;

describe('GET /metrics scraped by Prometheus', () => {
  it('answers only a scraper with the token or an account, under the per-source limit', async () => {
    const metrics = `${harness.url}/metrics`;
    expect((await fetch(metrics)).status).toBe(401);
    expect((await fetch(metrics, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`${MONITOR.username}:${password}`).toString('base64')}` });
    const refused = await fetch(metrics, { headers: basic('wrong-password') });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="EWC metrics", charset="UTF-8"');
    const ok = await fetch(metrics, { headers: basic(MONITOR.password) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await ok.text();
    expect(text).toContain('# TYPE ewc_aps gauge');
    expect(text).toContain('ewc_aps{predownload_status="Complete"} 0');
    expect(text).toContain('# TYPE ewc_ap_delivered_bytes_total counter');
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    // A failed Basic login counts as one at the web login: the audit trail has it.
    expect((await harness.instance.auth.audit.recent()).some((e) => e.username === MONITOR.username && e.action === 'login.failed')).toBe(true);
    // No session was opened for it: the page's cookie is never set here.
    expect(ok.headers.get('set-cookie')).toBeNull();
  });

  it('shows the predownload in Prometheus: APs Complete rising to the fleet size, bytes delivered equal to the images delivered', async () => {
    const jobsUp = await waitForAsync(async () => (await prometheus.targets()).filter((t) => t.health === 'up').length === 2);
    expect(jobsUp).toBe(true);

    // Links slow enough (about 1 s an image) that the run spans several of Prometheus's one-second scrapes.
    const fleet = await harness.startFleet(generatedFleet(FLEET_SIZE, DEMO_FLEET_VERSION), 1500);
    await waitForAsync(async () => (await value('ewc_aps_by_join_state{job="ewc",join_state="joined"}')) === FLEET_SIZE);
    const started = Date.now();
    const accepted = await harness.instance.api.startDownload({ mode: 'TFTP', tftp: { imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port }, parallelMode: true }, ADMIN);
    expect(accepted.status).toBe(202);
    // During the run: some APs receive while others wait for one of the three slots.
    await waitForAsync(async () => (await value('ewc_deliveries{job="ewc",state="waiting"}')) !== undefined && (await value('ewc_deliveries{job="ewc",state="active"}'))! > 0);
    await waitFor(
      'stage Activate',
      () => harness.instance.orchestrator.view().stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      120_000,
    );
    expect(harness.instance.orchestrator.view().stage).toBe('Activate');
    await waitForAsync(async () => (await value('ewc_aps{job="ewc",predownload_status="Complete"}')) === FLEET_SIZE);
    // query_range evaluates at whole steps from the start: its last step must come after the sample that said 8.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ended = Date.now();

    // Completed APs as Prometheus recorded them, second by second: never down, from fewer than all to all.
    const [complete] = await prometheus.queryRange('ewc_aps{job="ewc",predownload_status="Complete"}', started, ended);
    expect(complete!.values.every((v, i) => i === 0 || v >= complete!.values[i - 1]!)).toBe(true);
    expect(complete!.values[0]).toBeLessThan(FLEET_SIZE);
    expect(complete!.values.at(-1)).toBe(FLEET_SIZE);
    expect(complete!.values.some((v) => v > 0 && v < FLEET_SIZE)).toBe(true);
    expect(await value('max_over_time(ewc_deliveries{job="ewc",state="active"}[5m])')).toBe(3);
    expect(await value('max_over_time(ewc_upgrade_state{job="ewc",state="running"}[5m])')).toBe(1);
    expect(await value('ewc_upgrade_stage{job="ewc",stage="Activate"}')).toBe(1);

    // Every byte an AP acknowledged, once: the sum of the images delivered (each AP its image type's file).
    const bundle = path.join(work, 'bundle', DEMO_IMAGE_PATH);
    const size = (file: string) => fs.statSync(path.join(bundle, file)).size;
    const delivered = fleet.agents.reduce((sum, agent) => sum + size(agent.imageType), 0);
    await waitForAsync(async () => (await value('ewc_ap_delivered_bytes_total{job="ewc"}')) === delivered);
    // Each bundle file the run read, fetched once from tftpd-hpa.
    const imageTypes = [...new Set(fleet.agents.map((agent) => agent.imageType))];
    const fetched = [...imageTypes, 'version.info', 'controller_version.info'].reduce((sum, file) => sum + size(file), 0);
    await waitForAsync(async () => (await value('ewc_image_server_fetched_bytes_total{job="ewc"}')) === fetched);
    // The monitor's scrapes see the same (its job scrapes on its own second, so it may be one scrape behind).
    expect(await waitForAsync(async () => (await value('ewc_ap_delivered_bytes_total{job="ewc-monitor"}')) === delivered)).toBe(true);
    expect(await value('ewc_ap_joins_total{job="ewc"}')).toBe(FLEET_SIZE);
  }, 180_000);
});

/** Polls an async check until it holds (Prometheus scrapes every second); the test's own timeout bounds it. */
async function waitForAsync(check: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
