import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { PREDOWNLOAD_STATUSES } from '../../lib/predownloadStatus';
import { UPGRADE_STAGES, type UpgradeState, type UpgradeView } from '../../lib/upgradeStage';
import type { FleetReader } from '../fleet/fleetProjection';

export interface MetricSources {
  /** The fleet projection: its per-status counters are O(1), whatever the fleet's size. */
  fleet: FleetReader;
  /** APs connected to the AP port now. */
  joinedAps(): number;
  upgrade(): UpgradeView;
  /** Bytes moved since the console started (TransferProgress.moved). */
  moved: { readonly fetchedBytes: number; readonly deliveredBytes: number };
  /** Joins admitted and refused since the console started (ApRegistry.tally). */
  joins(): { joined: number; refused: number; rateLimited: number };
}

const UPGRADE_STATES: readonly UpgradeState[] = ['idle', 'running', 'awaitingActivation', 'reloading', 'completed', 'cancelled', 'failed', 'superseded'];

/** A counter that reports a number the console already keeps (monotonic since start), read at each scrape. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * The console's metrics for Prometheus. Every value is read at scrape time from counters the console
 * keeps anyway (the fleet projection's per-status counts, the transfer totals, the join tally): no scan
 * of the fleet. Labels are statuses, stages and reasons, never an AP, so the series stay a few dozen.
 * Node's own (event-loop delay, memory, CPU) come from prom-client's default metrics.
 */
export function createConsoleMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'ewc_aps',
    help: "APs the controller knows, by predownload status (show ap image's counters)",
    labelNames: ['predownload_status'],
    registers: [registry],
    collect() {
      for (const status of PREDOWNLOAD_STATUSES) this.set({ predownload_status: status }, sources.fleet.count(status));
    },
  });
  new Gauge({
    name: 'ewc_aps_by_join_state',
    help: 'APs the controller knows, joined (connected to the AP port) or not',
    labelNames: ['join_state'],
    registers: [registry],
    collect() {
      const joined = sources.joinedAps();
      this.set({ join_state: 'joined' }, joined);
      this.set({ join_state: 'not_joined' }, Math.max(0, sources.fleet.size - joined));
    },
  });

  new Gauge({
    name: 'ewc_upgrade_stage',
    help: "The current upgrade's stage (1 for the stage it is at, 0 for the others)",
    labelNames: ['stage'],
    registers: [registry],
    collect() {
      const { stage } = sources.upgrade();
      for (const each of UPGRADE_STAGES) this.set({ stage: each }, each === stage ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ewc_upgrade_state',
    help: "The current upgrade's state, as GET /api/software-upgrade reports it (1 for its state)",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { state } = sources.upgrade();
      for (const each of UPGRADE_STATES) this.set({ state: each }, each === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ewc_upgrade_id',
    help: "The current upgrade's number in the history (0 before the first)",
    registers: [registry],
    collect() {
      this.set(sources.upgrade().upgradeId ?? 0);
    },
  });
  new Gauge({
    name: 'ewc_deliveries',
    help: 'Image deliveries to APs while a predownload runs: receiving now (active) or waiting for a slot',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const deliveries = sources.upgrade().deliveries;
      this.set({ state: 'active' }, deliveries?.active ?? 0);
      this.set({ state: 'waiting' }, deliveries?.waiting ?? 0);
    },
  });

  mirroredCounter(registry, 'ewc_image_server_fetched_bytes_total', 'Bytes fetched from image servers (TFTP, SFTP, catalogs) since the console started', () => sources.moved.fetchedBytes);
  mirroredCounter(
    registry,
    'ewc_ap_delivered_bytes_total',
    'Image bytes acknowledged by APs since the console started (what a resumed transfer already held not counted again)',
    () => sources.moved.deliveredBytes,
  );
  mirroredCounter(registry, 'ewc_ap_joins_total', 'AP joins admitted on the AP port since the console started', () => sources.joins().joined);
  new Counter({
    name: 'ewc_ap_join_refusals_total',
    help: 'AP joins refused since the console started: over the join rate (rate) or refused (refused: certificate, authorization list, AP limit)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      const { refused, rateLimited } = sources.joins();
      this.reset();
      this.inc({ reason: 'refused' }, refused);
      this.inc({ reason: 'rate' }, rateLimited);
    },
  });
  return registry;
}
