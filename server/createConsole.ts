import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import path from 'node:path';
import { Server as SocketServer } from 'socket.io';
import type { ConsoleSnapshot } from '../lib/socketEvents';
import type { ConsoleInstance } from './consoleInstance';
import { ApRegistry } from './capwap/apRegistry';
import { CapwapPort } from './capwap/capwapPort';
import { createConsoleCliBackend } from './cli/consoleBackend';
import { HostnameStore } from './cli/hostname';
import { SshKeys } from './accounts/sshKeys';
import { startCliServer } from './cli/sshServer';
import { cliHostKeyPathOf } from './cli/hostKeyFile';
import { CLI_SERVICE } from './cluster/cliForward';
import { acceptForwardedSource, sourcePreambleProofFor } from './cluster/sourcePreamble';
import type { ConsoleConfig } from './config';
import { controllerHostSummary, fleetSummary, queryApImage, type ApImageViewSources } from './console/apImageView';
import type { RestconfSources } from './restconf/restconfSources';
import { ConsoleHub, type ConsoleNamespace } from './console/consoleHub';
import { AuthService } from './auth/authService';
import { ApAuthorizationApi } from './http/apAuthorizationApi';
import { AuthApi } from './http/authApi';
import { CatalogApi } from './http/catalogApi';
import { checkHttpModeInput } from './http/httpModeChecks';
import { CatalogCheckService } from './catalog/catalogCheckService';
import { catalogNetworkOf } from './catalog/catalogNetwork';
import { catalogCallerOf } from './catalog/controllerIdentity';
import { DESKTOP_TRUST_SOURCE, DigestTrust } from './imageSigning/digestTrust';
import { withBundleTrust } from './imageSource/bundleSignature';
import { ImageTrustApi } from './http/imageTrustApi';
import type { HttpModeSourceDeps } from './imageSource/httpModeSource';
import { imageSourceForProfile } from './imageSource/profileImageSource';
import { isHomogeneous } from '../lib/httpModeSettings';
import { toProfileView } from '../lib/imageDownloadProfile';
import { DesktopUploads } from './uploads/desktopUploads';
import { ConsoleApi } from './http/consoleApi';
import { attachBrowserAuth, browserHandshakeCheck } from './http/socketAuth';
import { forwardProofFor } from './http/forwardProof';
import { AccessLimiter } from './auth/sourceLimiter';
import type { ImageSource } from './imageSource/imageSource';
import { ApTrust, sharedTrustDirsOf } from './pki/apTrust';
import { loadSharedTrust } from './pki/sharedTrust';
import { loadSecretBox } from './secrets/secretBox';
import { probeHostKey } from './sftp/hostKeyProbe';
import { TransferProgress } from './orchestrator/transferProgress';
import { UpgradeOrchestrator } from './orchestrator/upgradeOrchestrator';
import { syslogText } from './orchestrator/syslogText';
import { AccessPointRepository } from './store/accessPointRepository';
import { ControllerRepository } from './store/controllerRepository';
import { EventLog } from './store/eventLog';
import { EMPTY_PROFILE, ProfileRepository, type StoredProfile } from './store/profileRepository';
import { openStore, type Store } from './store/store';
import { UpgradeRepository } from './store/upgradeRepository';
import { RolloutRepository } from './store/rolloutRepository';
import { ScheduleRepository } from './store/scheduleRepository';
import { UpgradeHistory } from './store/upgradeHistory';
import { Scheduler } from './orchestrator/scheduler';
import { MaintenanceApi } from './http/maintenanceApi';
import { UpgradeRunRepository } from './store/upgradeRunRepository';
import { UnitOfWork } from './store/unitOfWork';
import { AuditLog } from './app/audit/auditLog';
import { AuditWriteBehind } from './app/audit/auditWriteBehind';
import type { AppDeps } from './app/appDeps';
import { runScheduledAction } from './app/schedule/runScheduledAction';
import { BundleApprovals } from './app/trust/approveBundle';
import { exportProfileConfig } from './http/profileExport';
import { RuntimeMonitor } from './diagnostics/runtimeStats';
import { CONTROLLER_LIST_QUERY, type ApImageQuery } from '../lib/apImageQuery';
import { SYSLOG_PAGE_LINES } from '../lib/syslog';
import { LoggingSettingsRepository } from './store/loggingSettingsRepository';
import { LoggingService } from './syslog/loggingService';
import { SyslogForwarder } from './syslog/syslogForwarder';
import { createConsoleMetrics } from './metrics/consoleMetrics';
import { MetricsEndpoint } from './metrics/metricsEndpoint';

export type { ConsoleInstance } from './consoleInstance';

export interface CreateConsoleOptions {
  /** The profile shown before anyone saved one (the demo points it at the demo image server). */
  defaultProfile?: StoredProfile;
  initialControllerVersion?: string;
  /** Replaces how image sources are made (tests of SFTP before it exists, for example). */
  createImageSource?: (profile: StoredProfile) => ImageSource;
  /** This node took the leader lock from another node: an upgrade it resumes is logged as taken over (server/cluster/). */
  takeover?: { node: string } | null;
}

// How long a graceful stop leaves its notices to reach pages and APs before it closes their connections.
const NOTICE_FLUSH_MS = 200;

// How often the fleet's changes and log lines are written to the database, in one transaction.
const STORE_TICK_MS = 100;

/** A port that serves the console's pages and live socket: plain HTTP (on loopback) or HTTPS. */
export type WebServer = HttpServer | HttpsServer;

/**
 * Builds the whole console on the web servers that someone else listens with (one, or HTTP and HTTPS):
 * the store (its projections loaded), socket.io for browsers on `/`, the orchestrator and the API;
 * APs join on the separate AP port (`capwap`, mutual TLS), which the caller starts with `capwap.listen()`.
 * Tests call it on a bare `http.Server`; `server/main.ts` adds Next.js in front.
 */
export async function createConsole(webServers: WebServer | readonly WebServer[], config: ConsoleConfig, options: CreateConsoleOptions = {}): Promise<ConsoleInstance> {
  const store = await openStore(config.database);
  try {
    return await assemble(store, webServers, config, options);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function assemble(store: Store, webServers: WebServer | readonly WebServer[], config: ConsoleConfig, options: CreateConsoleOptions): Promise<ConsoleInstance> {
  const [firstServer, ...otherServers] = Array.isArray(webServers) ? (webServers as readonly WebServer[]) : [webServers as WebServer];
  const { db } = store;
  const secrets = loadSecretBox(config.dataDir, config.secretKey).box;
  const shared = store.engine === 'postgres' ? await loadSharedTrust(db, secrets, sharedTrustDirsOf(config)) : null;
  const audit = new AuditLog(db);
  const auth = new AuthService(db, audit, { adminPassword: config.adminPassword });
  const { generatedPassword } = await auth.ensureAdmin();
  const profiles = await ProfileRepository.load(db, options.defaultProfile ?? EMPTY_PROFILE, secrets);
  const unitOfWork = new UnitOfWork(store, STORE_TICK_MS);
  // The projections, loaded now and written behind in this order: a table after those its foreign keys point to.
  const upgrades = await UpgradeRepository.load(db, unitOfWork);
  const runs = new UpgradeRunRepository(unitOfWork, secrets);
  const rollouts = await RolloutRepository.load(db, unitOfWork, upgrades.latest()?.id ?? null);
  const schedules = await ScheduleRepository.load(db, unitOfWork);
  const aps = await AccessPointRepository.load(db, unitOfWork);
  const controller = await ControllerRepository.load(db, unitOfWork, options.initialControllerVersion ?? '17.09.04a.0.6');
  const log = await EventLog.load(db, unitOfWork, config.eventLogMaxLines);
  // Audit lines of changes to the projections above, written in the same flush as the change.
  const stagedAudit = new AuditWriteBehind(audit, unitOfWork);
  const digestTrust = await DigestTrust.load(db);
  const stopSweep = auth.startExpirySweep();
  const progress = new TransferProgress();
  // Before anything logs, so the stored syslog hosts get the start-up lines (a resumed upgrade's) too.
  const forwarder = new SyslogForwarder({ queueLines: config.syslogQueueLines, onAppend: (listener) => log.onAppend(listener), write: (line) => log.write(line) });
  const logging = new LoggingService({ repository: await LoggingSettingsRepository.load(db), forwarder, audit, log: (line) => log.write(line), queueLines: config.syslogQueueLines });

  // Browsers only: APs have their own port and socket.io server (CapwapPort), so no page can reach /capwap.
  const io = new SocketServer(firstServer, {
    maxHttpBufferSize: 1_000_000,
    serveClient: false,
    allowRequest: browserHandshakeCheck({ configured: config.allowedHosts, listenHost: config.host }, forwardProofFor(config)),
  });
  // One engine on every port: the same live pages, Host check and session rules over HTTP and HTTPS.
  for (const server of otherServers) io.engine.attach(server, { path: '/socket.io' });
  const trust = new ApTrust(db, { dataDir: config.dataDir, autoApprove: config.apAdmission.autoApprove, maxAps: config.apAdmission.maxAps, log: (line) => log.write(line), shared });
  const capwap = new CapwapPort(trust, config.apAdmission, (line) => log.write(line), config.apPortWorker);
  const runtime = new RuntimeMonitor(() => capwap.workerMemory);
  const detachAuth = attachBrowserAuth(io, auth, config.secureCookie);
  let registry: ApRegistry | null = null;
  const trustOfUpload = (sha256: string) => {
    const found = digestTrust.find(DESKTOP_TRUST_SOURCE, sha256);
    return found ? { trustedBy: found.trustedBy, trustedAt: found.trustedAt } : null;
  };
  const uploads = new DesktopUploads({
    dir: path.join(config.dataDir, 'uploads'),
    maxBytes: config.uploadMaxBytes,
    quotaBytes: config.uploadQuotaBytes,
    homogeneous: () => isHomogeneous(aps.all().map((ap) => ap.imageType)),
    inUse: () => profiles.get().desktop.uploadId,
    trustOf: trustOfUpload,
  });
  const catalogNetwork = catalogNetworkOf(config);
  const catalogCaller = catalogCallerOf(
    {
      caCertPath: path.join(trust.pkiDir, 'ca.crt'),
      aps: () => aps.all(),
      certificateSerial: async (mac) => (await trust.authorization(mac))?.certSerial ?? null,
      factoryDefault: () => !profiles.isSaved(),
      requireSignedImages: config.unsignedImages === 'refuse',
    },
    (text) => log.write(syslogText.firmwareCheck(text)),
  );
  const httpModeDeps: HttpModeSourceDeps = { aps: () => aps.all(), controllerVersion: () => controller.version(), network: catalogNetwork, caller: catalogCaller, uploads, digestTrust };
  const baseImageSource = options.createImageSource ?? ((profile: StoredProfile) => imageSourceForProfile(profile, config, httpModeDeps));
  const createImageSource = (profile: StoredProfile) => (config.unsignedImages === 'ask' ? withBundleTrust(baseImageSource(profile), digestTrust) : baseImageSource(profile));
  const catalogChecks = new CatalogCheckService({
    db,
    profile: () => profiles.get(),
    aps: () => aps.all(),
    controllerVersion: () => controller.version(),
    network: catalogNetwork,
    caller: catalogCaller,
    log: (line) => log.write(line),
  });
  catalogChecks.reschedule();

  let hub: ConsoleHub | null = null;
  const notifier = { apChanged: (mac: string) => hub?.apChanged(mac), upgradeChanged: () => hub?.upgradeChanged() };
  const orchestrator = new UpgradeOrchestrator({
    config,
    db,
    aps,
    upgrades,
    rollouts,
    schedules,
    runs,
    controller,
    log,
    store: unitOfWork,
    progress,
    notifier,
    registry: () => registry!,
    createImageSource,
    savedProfile: () => (profiles.isSaved() ? profiles.get() : null),
  });

  const viewSources: ApImageViewSources = {
    fleet: aps.reader,
    progress,
    isConnected: (mac) => registry?.isConnected(mac) ?? false,
    imageFetchedFor: (imageType) => orchestrator.imageFetchedFor(imageType),
    queuePositions: () => orchestrator.queuePositions(),
    predownloadRunning: () => orchestrator.predownloadRunning(),
  };
  const transferSample = () => ({ at: Date.now(), ...progress.moved });
  const apImage = (query: ApImageQuery = { sort: 'name', offset: 0 }) => queryApImage(query, viewSources);
  hub = new ConsoleHub(io.of('/') as ConsoleNamespace, {
    snapshot: (query): ConsoleSnapshot => ({
      profile: toProfileView(profiles.get()),
      upgrade: orchestrator.view(),
      apImage: apImage(query),
      apImageQuery: query,
      syslog: log.recent(SYSLOG_PAGE_LINES),
      homogeneous: isHomogeneous(aps.reader.imageTypes()),
      transfer: transferSample(),
    }),
    page: apImage,
    summary: () => fleetSummary(aps.reader, viewSources),
    upgrade: () => orchestrator.view(),
    transfer: transferSample,
  });
  const restconf: RestconfSources = {
    fleetSummary: () => fleetSummary(aps.reader, viewSources),
    controllerHostSummary: () => controllerHostSummary(aps.reader, viewSources),
    apImage: () => apImage(),
    address: (mac) => registry?.get(mac)?.address ?? null,
    transferStartedAt: (mac, kind) => progress.figures(mac, kind)?.startedAt ?? null,
  };
  const unsubscribeLog = log.onAppend((line) => hub?.syslogAppended(line));

  registry = new ApRegistry(
    capwap,
    {
      joined: (session) => orchestrator.apJoined(session),
      left: (mac) => orchestrator.apLeft(mac),
      apLog: (mac, line) => orchestrator.apLog(mac, line),
    },
    { ...config.apAdmission, admit: (mac, serial) => trust.admit(mac, serial), log: (line) => log.write(line) },
  );
  const apRegistry = registry;
  const stopWithdrawals = trust.onCertificateWithdrawn((mac, reason) => apRegistry.drop(mac, reason));
  await orchestrator.recoverAfterRestart(options.takeover);
  // Armed after the recovery, so an action due while the console was down runs on a settled state.
  const scheduler = new Scheduler({ schedules, log, notifier, runDue: (record, stopped) => runScheduledAction(app, record, stopped) });
  const app: AppDeps = {
    db,
    profiles,
    secrets,
    audit,
    stagedAudit,
    orchestrator,
    scheduler,
    approvals: new BundleApprovals({ db, digestTrust, audit, log, orchestrator }),
    profileSaved: () => {
      hub?.profileChanged(toProfileView(profiles.get()));
      catalogChecks.reschedule();
    },
    probeHostKey: (host, port) => probeHostKey(host, port, config.sftpTimeoutMs),
    httpModeIssues: (data, forDownload) =>
      checkHttpModeInput(data, {
        uploads,
        homogeneous: isHomogeneous(aps.reader.imageTypes()),
        allowLoopbackCatalog: config.catalogAllowLoopback,
        isTrusted: forDownload && config.unsignedImages !== 'sha256-only' ? (sha256) => trustOfUpload(sha256) !== null : null,
      }),
  };
  const maintenance = new MaintenanceApi({ app, aps, upgrades, history: new UpgradeHistory(db, unitOfWork, aps.reader, upgrades) });
  const api = new ConsoleApi({ app, profiles, log, apImage, upgrade: () => orchestrator.view(), probeHostKey: app.probeHostKey, runtime, maintenance });

  const imageTrustApi = new ImageTrustApi({ db, uploads, digestTrust, audit, log, approvals: app.approvals });
  const sshKeys = new SshKeys(db);
  const cliParts = createConsoleCliBackend({
    app,
    profileConfig: () => exportProfileConfig(profiles.get(), profiles.exportedPassword()),
    bundleTrustKnown: (upgradeId) => orchestrator.bundleTrustKnown(upgradeId),
    auth,
    sshKeys,
    hostnames: await HostnameStore.load(db, () => apImage().aps.find((ap) => ap.hostsController)?.model ?? null),
    logging,
    apImage: () => apImage(CONTROLLER_LIST_QUERY),
    syslog: () => log.recent(),
    upgrade: () => orchestrator.view(),
    startedAt: Date.now(),
  });
  const limiter = new AccessLimiter();
  const cliPreamble = sourcePreambleProofFor(config, CLI_SERVICE);
  const cli = startCliServer({
    host: config.host,
    port: config.cliPort,
    hostKeyPath: cliHostKeyPathOf(config.dataDir),
    limiter,
    ...cliParts,
    forwardedSource: cliPreamble ? (socket) => acceptForwardedSource(socket, cliPreamble, (peer, reason) => console.error(`CLI: refused a connection from ${peer}: ${reason}`)) : undefined,
  });

  return {
    app,
    api,
    authApi: new AuthApi(auth, log),
    catalogApi: new CatalogApi(catalogChecks),
    imageTrustApi,
    uploads,
    apAuthorizationApi: new ApAuthorizationApi({ db: store.db, trust, audit }, (mac) => ({
      connected: apRegistry.isConnected(mac),
      name: apRegistry.get(mac)?.info.name ?? aps.get(mac)?.name ?? null,
    })),
    auth,
    limiter,
    capwap,
    trust,
    generatedAdminPassword: generatedPassword,
    io,
    orchestrator,
    store,
    unitOfWork,
    cli,
    sshKeys,
    restconf,
    logging,
    moved: progress.moved,
    metrics: new MetricsEndpoint({
      registry: () =>
        createConsoleMetrics({
          fleet: aps.reader,
          joinedAps: () => apRegistry.connectedCount,
          upgrade: () => orchestrator.view(),
          moved: progress.moved,
          joins: () => apRegistry.tally,
        }),
      token: config.metricsToken,
      auth,
    }),
    close: async (reason?: string) => {
      await cli.close();
      scheduler.dispose();
      orchestrator.dispose();
      catalogChecks.dispose();
      uploads.dispose();
      if (reason) {
        log.write(syslogText.upgrade(`Controller stopping: ${reason}; a running upgrade resumes at the next start`, 'warning'));
        io.of('/').emit('console:stopping', { reason });
        capwap.stopping(reason);
      }
      // The last tick: everything still pending, in one transaction, before any connection closes.
      await unitOfWork.close();
      forwarder.close();
      hub?.dispose();
      stopSweep();
      detachAuth();
      unsubscribeLog();
      stopWithdrawals();
      apRegistry.dispose();
      trust.dispose();
      // Give the notices a moment on the wire before the sockets close.
      if (reason) await new Promise((resolve) => setTimeout(resolve, NOTICE_FLUSH_MS));
      await capwap.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await store.close();
      runtime.stop();
    },
  };
}
