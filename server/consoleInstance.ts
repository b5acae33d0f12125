import type { AccessLimiter } from './auth/sourceLimiter';
import type { ApAuthorizationApi } from './http/apAuthorizationApi';
import type { ApTrust } from './pki/apTrust';
import type { AppDeps } from './app/appDeps';
import type { AuthApi } from './http/authApi';
import type { AuthService } from './auth/authService';
import type { CapwapPort } from './capwap/capwapPort';
import type { CatalogApi } from './http/catalogApi';
import type { CliServer } from './cli/sshServer';
import type { ConsoleApi } from './http/consoleApi';
import type { DesktopUploads } from './uploads/desktopUploads';
import type { ImageTrustApi } from './http/imageTrustApi';
import type { LoggingService } from './syslog/loggingService';
import type { MetricsEndpoint } from './metrics/metricsEndpoint';
import type { RestconfSources } from './restconf/restconfSources';
import type { Server as SocketServer } from 'socket.io';
import type { SshKeys } from './accounts/sshKeys';
import type { Store } from './store/store';
import type { UnitOfWork } from './store/unitOfWork';
import type { UpgradeOrchestrator } from './orchestrator/upgradeOrchestrator';

/** What createConsole gives its caller: the console's parts each adapter and test reaches. */
export interface ConsoleInstance {
  /** The use cases' dependencies (server/app), which every adapter hands its changes to. */
  app: AppDeps;
  api: ConsoleApi;
  authApi: AuthApi;
  catalogApi: CatalogApi;
  /** An admin's trust of an unsigned image's SHA-256 (Desktop uploads). */
  imageTrustApi: ImageTrustApi;
  /** Desktop (HTTP) mode's tus endpoint under /api/uploads/. */
  uploads: DesktopUploads;
  apAuthorizationApi: ApAuthorizationApi;
  auth: AuthService;
  /** The per-source limiter of every way in: the request gate (web login, host-key checks) and the SSH CLI share it. */
  limiter: AccessLimiter;
  /** The AP port: call `listen(config.capwapPort, config.host)` after creating the console. */
  capwap: CapwapPort;
  trust: ApTrust;
  /** Set on the first start when EWC_ADMIN_PASSWORD was not given: print it once. */
  generatedAdminPassword: string | null;
  io: SocketServer;
  orchestrator: UpgradeOrchestrator;
  /** The console's database (server/store/): every SQL statement goes through it. */
  store: Store;
  /** What the projections changed, written behind them; `flush()` writes it now. */
  unitOfWork: UnitOfWork;
  /** What RESTCONF reads (server/restconf maps it to Cisco's YANG); the HTTPS port serves it. */
  restconf: RestconfSources;
  /** The SSH CLI: its host key fingerprint, and its port once listening. */
  cli: CliServer;
  sshKeys: SshKeys;
  /** Syslog to the site's servers (`logging host`): the page, the API and the CLI go through it. */
  logging: LoggingService;
  /** GET /metrics for Prometheus (bearer token or an account's Basic credentials). */
  metrics: MetricsEndpoint;
  /** Bytes fetched from image servers and acknowledged by APs since this console started (what the metrics count). */
  moved: Readonly<{ fetchedBytes: number; deliveredBytes: number }>;
  /**
   * Stops the console. With a reason (a graceful stop): no new work, the last store tick written, and every
   * page and AP told why before the connections close. The running upgrade's state is left as it is, to resume.
   */
  close(reason?: string): Promise<void>;
}
