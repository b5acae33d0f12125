import type { Server as HttpServer } from 'node:http';
import { Server as SocketServer } from 'socket.io';
import type { ConsoleSnapshot } from '../lib/socketEvents';
import { ApRegistry } from './capwap/apRegistry';
import { CapwapPort } from './capwap/capwapPort';
import type { ConsoleConfig } from './config';
import { toApImageReport, toApImageRow, type ApImageViewSources } from './console/apImageView';
import { ConsoleHub, type ConsoleNamespace } from './console/consoleHub';
import { AuthService } from './auth/authService';
import { ApAuthorizationApi } from './http/apAuthorizationApi';
import { AuthApi } from './http/authApi';
import { ConsoleApi } from './http/consoleApi';
import { attachBrowserAuth } from './http/socketAuth';
import type { ImageSource } from './imageSource/imageSource';
import { SftpImageSource } from './imageSource/sftpImageSource';
import { TftpImageSource } from './imageSource/tftpImageSource';
import { ApTrust } from './pki/apTrust';
import { loadSecretBox } from './secrets/secretBox';
import { probeHostKey } from './sftp/hostKeyProbe';
import { TransferProgress } from './orchestrator/transferProgress';
import { UpgradeOrchestrator } from './orchestrator/upgradeOrchestrator';
import { AccessPointRepository } from './store/accessPointRepository';
import { ControllerRepository } from './store/controllerRepository';
import { openDatabase, type Db } from './store/database';
import { EventLog } from './store/eventLog';
import { EMPTY_PROFILE, ProfileRepository, toProfileView, type StoredProfile } from './store/profileRepository';
import { UpgradeRepository } from './store/upgradeRepository';

export interface ConsoleInstance {
  api: ConsoleApi;
  authApi: AuthApi;
  apAuthorizationApi: ApAuthorizationApi;
  auth: AuthService;
  /** The AP port: call `listen(config.capwapPort, config.host)` after creating the console. */
  capwap: CapwapPort;
  trust: ApTrust;
  /** Set on the first start when EWC_ADMIN_PASSWORD was not given: print it once. */
  generatedAdminPassword: string | null;
  io: SocketServer;
  orchestrator: UpgradeOrchestrator;
  db: Db;
  close(): Promise<void>;
}

export interface CreateConsoleOptions {
  /** The profile shown before anyone saved one (the demo points it at the demo image server). */
  defaultProfile?: StoredProfile;
  initialControllerVersion?: string;
  /** Replaces how image sources are made (tests of SFTP before it exists, for example). */
  createImageSource?: (profile: StoredProfile) => ImageSource;
}

function imageSourceFor(profile: StoredProfile, config: ConsoleConfig): ImageSource {
  if (profile.mode === 'TFTP') {
    return new TftpImageSource({ server: profile.imageServer, port: profile.port, imagePath: profile.imagePath, ...config.tftp });
  }
  const { username, password, authMethod, privateKey, passphrase, hostKeyFingerprint } = profile.sftp;
  const credentials =
    authMethod === 'key' ? { username, privateKey: privateKey ?? undefined, passphrase: passphrase ?? undefined } : { username, password: password ?? undefined };
  return new SftpImageSource({
    server: profile.imageServer,
    port: profile.port,
    imagePath: profile.imagePath,
    credentials,
    hostKeyFingerprint,
    timeoutMs: config.sftpTimeoutMs,
  });
}

/**
 * Builds the whole console on an HTTP server that someone else listens with:
 * the store, socket.io for browsers on `/`, the orchestrator and the API; APs join on the
 * separate AP port (`capwap`, mutual TLS), which the caller starts with `capwap.listen()`.
 * Tests call it on a bare `http.Server`; `server/main.ts` adds Next.js in front.
 */
export function createConsole(httpServer: HttpServer, config: ConsoleConfig, options: CreateConsoleOptions = {}): ConsoleInstance {
  const db = openDatabase(config.dataDir);
  const secrets = loadSecretBox(config.dataDir, config.secretKey).box;
  const auth = new AuthService(db, { adminPassword: config.adminPassword });
  const { generatedPassword } = auth.ensureAdmin();
  const stopSweep = auth.startExpirySweep();
  const profiles = new ProfileRepository(db, options.defaultProfile ?? EMPTY_PROFILE, secrets);
  const aps = new AccessPointRepository(db);
  const upgrades = new UpgradeRepository(db);
  const controller = new ControllerRepository(db, options.initialControllerVersion ?? '17.09.04a.0.6');
  const log = new EventLog(db);
  const progress = new TransferProgress();

  // Browsers only: APs have their own port and socket.io server (CapwapPort), so no page can reach /capwap.
  const io = new SocketServer(httpServer, { maxHttpBufferSize: 1_000_000, serveClient: false });
  const trust = new ApTrust(db, { dataDir: config.dataDir, autoApprove: config.apAdmission.autoApprove, maxAps: config.apAdmission.maxAps, log: (line) => log.write(line) });
  const capwap = new CapwapPort(trust, config.apAdmission.joinsPerSecond, (line) => log.write(line));
  const detachAuth = attachBrowserAuth(io, auth);
  let registry: ApRegistry | null = null;
  const createImageSource = options.createImageSource ?? ((profile: StoredProfile) => imageSourceFor(profile, config));

  let hub: ConsoleHub | null = null;
  const orchestrator = new UpgradeOrchestrator({
    config,
    aps,
    upgrades,
    controller,
    log,
    progress,
    notifier: { apChanged: (mac) => hub?.apChanged(mac), upgradeChanged: () => hub?.upgradeChanged() },
    registry: () => registry!,
    createImageSource,
  });

  const viewSources: ApImageViewSources = {
    progress,
    isConnected: (mac) => registry?.isConnected(mac) ?? false,
    imageFetchedFor: (imageType) => orchestrator.imageFetchedFor(imageType),
  };
  const apImage = () => toApImageReport(aps.all(), viewSources);
  const snapshot = (): ConsoleSnapshot => {
    const report = apImage();
    return {
      profile: toProfileView(profiles.get()),
      upgrade: orchestrator.view(),
      apImage: report,
      syslog: log.recent(),
      homogeneous: new Set(report.aps.map((ap) => ap.imageType)).size <= 1,
    };
  };
  hub = new ConsoleHub(io.of('/') as ConsoleNamespace, {
    snapshot,
    apRow: (mac) => {
      const ap = aps.get(mac);
      return ap ? toApImageRow(ap, viewSources) : null;
    },
    summary: () => apImage().summary,
    upgrade: () => orchestrator.view(),
  });
  const unsubscribeLog = log.onAppend((line) => hub?.syslogAppended(line));

  registry = new ApRegistry(
    capwap.namespace,
    {
      joined: (session) => orchestrator.apJoined(session),
      left: (mac) => orchestrator.apLeft(mac),
      apLog: (mac, line) => orchestrator.apLog(mac, line),
    },
    { ...config.apAdmission, admit: (mac, serial) => trust.admit(mac, serial), log: (line) => log.write(line) },
  );
  const apRegistry = registry;
  const stopWithdrawals = trust.onCertificateWithdrawn((mac, reason) => apRegistry.drop(mac, reason));
  orchestrator.recoverAfterRestart();

  const api = new ConsoleApi({
    profiles,
    orchestrator,
    log,
    audit: auth.audit,
    secrets,
    apImage,
    upgrade: () => orchestrator.view(),
    profileSaved: () => hub?.profileChanged(toProfileView(profiles.get())),
    probeHostKey: (host, port) => probeHostKey(host, port, config.sftpTimeoutMs),
  });

  return {
    api,
    authApi: new AuthApi(auth, log, config.secureCookie),
    apAuthorizationApi: new ApAuthorizationApi(trust, auth.audit, (mac) => ({
      connected: apRegistry.isConnected(mac),
      name: apRegistry.get(mac)?.info.name ?? aps.get(mac)?.name ?? null,
    })),
    auth,
    capwap,
    trust,
    generatedAdminPassword: generatedPassword,
    io,
    orchestrator,
    db,
    close: async () => {
      orchestrator.dispose();
      hub?.dispose();
      stopSweep();
      detachAuth();
      unsubscribeLog();
      stopWithdrawals();
      apRegistry.dispose();
      trust.dispose();
      await capwap.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      db.close();
    },
  };
}
