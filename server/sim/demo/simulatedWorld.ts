import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import type { ConsoleConfig } from '../../config';
import type { StoredProfile } from '../../store/profileRepository';
import { startFleet, type Fleet } from '../ap/simulatedFleet';
import { readFleetFile, type FleetAp } from '../ap/fleetSpec';
import { DEMO_CATALOG_API_KEY, DEMO_CATALOG_USER } from './demoCatalog';
import { DEMO_CONTROLLER_VERSION, DEMO_FLEET } from './demoFleet';
import { DEMO_CURRENT_BUNDLE } from './demoBundle';
import { DEMO_SFTP_PASSWORD, DEMO_SFTP_USER, startDemoImageServers, type DemoImageServers } from './demoEnvironment';
import { hostPort } from '../../../lib/netAddress';

/** The controller version the console reports before its first upgrade: the demo fleet's controller AP runs it. */
export const INITIAL_CONTROLLER_VERSION = DEMO_CONTROLLER_VERSION;

/** What the simulated APs need from the console they join. */
export interface ConsoleForFleet {
  capwapUrl: string;
  caCertPem: string;
  joinToken: string;
  vendorKeys: KeyObject[];
}

/**
 * The outside world `npm start` plays when nothing real is configured: the demo image servers and
 * catalog (EWC_DEMO=1) and the simulated APs (the demo fleet, or EWC_FLEET_FILE's). This is the one
 * door from the product's start-up into `server/sim/`.
 */
export class SimulatedWorld {
  private fleet: Fleet | null = null;

  private constructor(
    private readonly config: ConsoleConfig,
    readonly demo: DemoImageServers | null,
    readonly aps: FleetAp[],
  ) {}

  static async start(config: ConsoleConfig): Promise<SimulatedWorld> {
    const demo = config.demo ? await startDemoImageServers(config) : null;
    const aps = config.fleetFile ? readFleetFile(config.fleetFile) : config.demo ? DEMO_FLEET : [];
    return new SimulatedWorld(config, demo, aps);
  }

  /** The profile shown until someone saves one (the demo servers filled in), if the demo runs. */
  get defaultProfile(): StoredProfile | undefined {
    return this.demo?.profile;
  }

  /** True once the APs are running; false while they wait for an admin to approve them, or when there are none. */
  get fleetRunning(): boolean {
    return this.fleet !== null;
  }

  /**
   * Starts the simulated APs; they enrol like `npm run fleet` does: the console's CA, its fleet join
   * token, its trusted vendor keys. Without auto-approval the APs wait for an admin, so the console
   * must answer (and print how to log in) first: the promise then resolves at once.
   */
  async startFleet(target: ConsoleForFleet): Promise<void> {
    if (this.aps.length === 0) return;
    const starting = startFleet({
      controllerUrls: [target.capwapUrl],
      trust: { caCertPem: target.caCertPem, enrolmentToken: target.joinToken },
      vendorKeys: target.vendorKeys,
      aps: this.aps,
      storageRoot: path.join(this.config.dataDir, 'fleet'),
      linkKbps: this.config.apLinkKbps,
      reloadMs: this.config.reloadMs,
    });
    if (this.config.apAdmission.autoApprove) this.fleet = await starting;
    else {
      void starting.then(
        (started) => (this.fleet = started),
        (error: Error) => console.error(`Simulated fleet: ${error.message}`),
      );
    }
  }

  /** The start-up lines about the demo servers and the simulated fleet. */
  describe(capwapUrl: string): string[] {
    const { config, demo, aps } = this;
    const lines: string[] = [];
    if (demo) {
      lines.push(`  demo TFTP image server: tftp://${hostPort(demo.tftp.host, demo.tftp.port)}${demo.bundle.imagePath} (${demo.bundle.files.length} files, ${config.demoImageSize} sizes)`);
      lines.push(
        `  and the controller's own version ${DEMO_CURRENT_BUNDLE.version}: tftp://${hostPort(demo.tftp.host, demo.tftp.port)}${demo.currentBundle.imagePath} (Save a profile with this path: an AP that joins on another version is given it)`,
      );
      lines.push(`  demo firmware catalog: ${demo.catalog.service.url} (account ${DEMO_CATALOG_USER}, demo API key ${DEMO_CATALOG_API_KEY}, certificate ${demo.catalog.fingerprint})`);
      lines.push(
        `  demo SFTP image server: sftp://${DEMO_SFTP_USER}@${hostPort(demo.sftp.host, demo.sftp.port)}${demo.bundle.imagePath} (demo password ${DEMO_SFTP_PASSWORD}, host key ${demo.sftp.fingerprint})`,
      );
    }
    if (aps.length > 0) {
      const link = config.apLinkKbps > 0 ? `${config.apLinkKbps} kbit/s per AP` : 'unlimited link rate';
      const waiting = this.fleetRunning ? '' : '; they join once approved under Administration > AP Authorization';
      lines.push(`  simulated fleet: ${aps.length} APs (${config.fleetFile ?? 'demo fleet'}), ${link}${waiting}`);
    } else {
      lines.push(`  no simulated fleet: APs enrol and join at ${capwapUrl} (npm run fleet -- --controller ${capwapUrl})`);
    }
    return lines;
  }

  async close(): Promise<void> {
    await this.fleet?.stop();
    await this.demo?.close();
  }
}
