import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import { ApAgent, type ApAgentOptions } from '../sim/ap/apAgent';
import type { CliActor } from '../cli/cliBackend';
import { CliInterpreter } from '../cli/cliInterpreter';
import { loadTrustedVendorKeys } from '../imageSigning/imageManifest';
import { startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { MODEL_FLEET, INITIAL_APS, type ModelWorld } from './modelWorld';
import { PageProbe } from './pageProbe';
import { accessPointRows } from '../store/accessPointRows';
import { ProfileRepository } from '../store/profileRepository';
import { ApStorage, apStorageDir } from '../sim/ap/apStorage';

/** How often an observation is taken again when the console moved while its reads awaited, before it is reported. */
const INSTANT_TRIES = 50;

const CLI_ADMIN: CliActor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1 (ssh)' };

/**
 * The system under test: a real console (its API, its CLI interpreter on the console's own CLI backend,
 * an open page's socket), real AP agents joining over mutual TLS, and the world's tftpd-hpa. It restarts
 * on the same data folder and ports, as a controller does, while the agents keep running and rejoin.
 */
export class ModelConsole {
  harness!: ConsoleHarness;
  cli!: CliInterpreter;
  page!: PageProbe;
  readonly agents: ApAgent[] = [];
  private readonly agentOptions: ApAgentOptions[] = [];
  /** Which agents run now (the model decides: joins, losses, reloads). */
  readonly running: boolean[] = MODEL_FLEET.map(() => false);
  /** Every log line seen, by id: GET /api/syslog keeps the newest 500, a run writes more. */
  private readonly lines = new Map<number, SyslogLine>();
  /** Failed APs of each cancelled upgrade, counted just before its cancel. */
  readonly failedWhenCancelled = new Map<number, number>();
  private disposed = false;
  /** Errors nobody caught (in the console or in an AP agent, which share this process), each a failure of the step it happened in. */
  readonly crashes: string[] = [];
  private readonly onCrash = (error: unknown) => {
    this.crashes.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  };

  private constructor(
    readonly world: ModelWorld,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** `linkKbps`: each AP's link (0, unthrottled, by default); a regression test slows it to look at a transfer under way. */
  static async start(world: ModelWorld, linkKbps = 0): Promise<ModelConsole> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-model-console-'));
    const env = {
      // Fixed across restarts, so the agents and the page find the console again.
      PORT: String(await freeTcpPort()),
      EWC_CAPWAP_PORT: String(await freeTcpPort()),
      EWC_VENDOR_KEY_DIR: world.vendorKeyDir,
      // Short waits so a step settles in milliseconds; the orders of events stay those of a real site.
      EWC_RETRY_BASE_MS: '300',
      EWC_MAX_RETRIES: '2',
      EWC_REJOIN_TIMEOUT_MS: '3000',
      EWC_RESUME_WAIT_MS: '2000',
      EWC_SFTP_TIMEOUT_MS: '2000',
      EWC_CATALOG_TIMEOUT_MS: '2000',
      // A real console's default: an unsigned bundle waits, fetched, until an admin trusts its files (approveBundle).
      EWC_REQUIRE_SIGNED_IMAGES: 'ask',
    };
    const sut = new ModelConsole(world, dataDir, env);
    process.on('unhandledRejection', sut.onCrash);
    process.on('uncaughtException', sut.onCrash);
    await sut.open();
    const config = sut.harness.config;
    const trust = { caCertPem: fs.readFileSync(path.join(sut.harness.instance.trust.pkiDir, 'ca.crt'), 'utf8'), enrolmentToken: sut.harness.instance.trust.joinToken };
    for (const ap of MODEL_FLEET) {
      sut.agentOptions.push({
        controllerUrls: [sut.harness.capwapUrl],
        trust,
        vendorKeys: loadTrustedVendorKeys(config.vendorKeyDir),
        ap,
        storageDir: apStorageDir(path.join(dataDir, 'fleet'), ap.mac),
        linkKbps,
        reloadMs: config.reloadMs,
      });
      sut.agents.push(new ApAgent(sut.agentOptions.at(-1)!));
    }
    try {
      await Promise.all(sut.agents.slice(0, INITIAL_APS).map((_, index) => sut.startAgent(index)));
    } catch (error) {
      await sut.dispose();
      throw error;
    }
    return sut;
  }

  private async open(): Promise<void> {
    this.harness = await startConsoleHarness(this.env, this.dataDir);
    this.cli = new CliInterpreter(this.harness.instance.cli.backend, CLI_ADMIN);
    // The harness's page socket connects after this turn: the probe sees its first snapshot.
    this.page = new PageProbe(this.harness.browser.socket);
  }

  /** The page's and the API's trust of an unsigned bundle's files. */
  get imageTrust() {
    return this.harness.instance.imageTrustApi;
  }

  get api() {
    return this.harness.instance.api;
  }

  async startAgent(index: number): Promise<void> {
    this.running[index] = true;
    await this.agents[index].start();
  }

  async stopAgent(index: number): Promise<void> {
    this.running[index] = false;
    await this.agents[index].stop();
  }

  /**
   * The AP boots `primaryVersion` and joins: its flash rewritten as an engineer re-images an AP or swaps in a
   * spare that ran another release (its backup image and its credentials stay), as `npm run fleet --version` starts one.
   */
  async startAgentOn(index: number, primaryVersion: string): Promise<void> {
    await this.stopAgent(index);
    const storage = new ApStorage(this.agentOptions[index].storageDir);
    storage.save({ ...this.agents[index].images, primaryVersion });
    this.agents[index] = new ApAgent(this.agentOptions[index]);
    await this.startAgent(index);
  }

  /** Closes the console (gracefully, or as a stop with no notice) and starts it again on the same data folder and ports. */
  async restart(graceful: boolean): Promise<void> {
    this.harness.browser.close();
    await this.harness.instance.close(graceful ? 'model restart' : undefined);
    await this.open();
  }

  /** Types lines into the CLI session as an admin at the prompt would, one after the other. */
  async type(lines: readonly string[]): Promise<string[]> {
    const output: string[] = [];
    for (const line of lines) output.push(`${this.cli.prompt()}${line}`, ...(await this.cli.execute(line)));
    return output;
  }

  /** GET /api/ap-image, GET /api/software-upgrade: read together, in one turn of the event loop. */
  read(): { apImage: ApImageReport; upgrade: UpgradeView } {
    return { apImage: this.api.getApImage().body as ApImageReport, upgrade: this.api.getUpgrade().body as UpgradeView };
  }

  /** Every log line seen so far, oldest first. */
  syslog(): SyslogLine[] {
    for (const line of this.api.getSyslog().body as SyslogLine[]) this.lines.set(line.id, line);
    return [...this.lines.values()].sort((a, b) => a.id - b.id);
  }

  /** Whether an image download profile was ever saved (until then the console downloads nothing at join). */
  profileSaved(): Promise<boolean> {
    return ProfileRepository.isStored(this.harness.instance.store.db);
  }

  /**
   * Reads that await (the database; the history, which writes what is pending first), then `now`'s synchronous
   * reads (the API, the CLI's rendering, the log) in the same turn: one instant of the console, on SQLite as on
   * PostgreSQL, where each await is real I/O during which the run moves on. Taken again whenever the console
   * registered a change while the awaited reads ran; null when it never held still for `INSTANT_TRIES` tries.
   */
  async atOneInstant<A, R>(slow: () => Promise<A>, now: (read: A) => R): Promise<R | null> {
    const { unitOfWork } = this.harness.instance;
    for (let tries = 0; tries < INSTANT_TRIES; tries += 1) {
      const before = unitOfWork.changes;
      const read = await slow();
      if (unitOfWork.changes === before) return now(read);
    }
    return null;
  }

  /** What the store holds of each AP: the upgrade it belongs to and its status (written at the store's next tick). */
  async stored(): Promise<Map<string, { upgradeId: number | null; status: string }>> {
    const rows = await accessPointRows.all(this.harness.instance.store.db);
    return new Map(rows.map((row) => [row.mac, { upgradeId: row.upgradeId, status: row.predownloadStatus }]));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all(this.agents.map((agent) => agent.stop()));
    await this.harness.dispose();
    process.off('unhandledRejection', this.onCrash);
    process.off('uncaughtException', this.onCrash);
  }
}
