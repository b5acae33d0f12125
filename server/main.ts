import fs from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { ConfigError, loadConfig, type ConsoleConfig } from './config';
import { NodeLeadership, type Leading } from './cluster/nodeLeadership';
import { leaderForwardFor } from './cluster/leaderForward';
import { cliUrlOf, forwardCliToLeader } from './cluster/cliForward';
import { listenStandbyHttps } from './cluster/standbyHttps';
import { listenStandby, plainStandbyDoor, standbyDoor } from './cluster/standbyPage';
import { createConsole } from './createConsole';
import { installGracefulStop } from './gracefulStop';
import { redactedDatabaseUrl } from './store/postgres/databaseUrl';
import { installApis } from './http/consoleAccess';
import { RequestGate } from './http/requestGate';
import { forwardProofFor } from './http/forwardProof';
import { LoggingApi } from './http/loggingApi';
import { SshKeysApi } from './http/sshKeysApi';
import { AccountLocaleApi } from './http/accountLocaleApi';
import { loadTrustedVendorKeys } from './imageSigning/imageManifest';
import { RestconfAuth } from './restconf/restconfAuth';
import { RestconfServer } from './restconf/restconfServer';
import { HttpsIdentity, identitySourceFor } from './web/httpsIdentity';
import { plainHttpModeFor } from './web/plainHttp';
import { consoleRoutes, WebServers, type WebRoutes } from './web/webServers';
import { hostPort } from '../lib/netAddress';
// The demo wiring: the only product file that reaches into the simulators.
import { INITIAL_CONTROLLER_VERSION, SimulatedWorld } from './sim/demo/simulatedWorld';

async function main(): Promise<void> {
  const config = loadConfig();
  // Prepared before waiting for the leader lock, so that a takeover is quick.
  const nextApp = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname: config.host, port: config.port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const { leadership, leading, standby } = await leadOrStandBy(config);
  const world = await SimulatedWorld.start(config);

  let routes: WebRoutes | null = null;
  const web = new WebServers(plainHttpModeFor(config.host, config.plainHttpRedirect), () => routes);
  const takeover = leading.takenOverFrom ? { node: leadership.name } : null;
  const instance = await createConsole(web.consoleServers, config, { defaultProfile: world.defaultProfile, initialControllerVersion: INITIAL_CONTROLLER_VERSION, takeover });
  const gate = new RequestGate(instance.auth, {
    allowedHosts: { configured: config.allowedHosts, listenHost: config.host },
    limiter: instance.limiter,
    behindTlsProxy: config.secureCookie,
    forwardProof: forwardProofFor(config),
    nodeName: leadership.shared ? leadership.name : undefined,
  });
  installApis({
    console: instance.api,
    auth: instance.authApi,
    catalog: instance.catalogApi,
    imageTrust: instance.imageTrustApi,
    sshKeys: new SshKeysApi(instance.sshKeys, instance.auth),
    accountLocale: new AccountLocaleApi(instance.store.db),
    apAuthorization: instance.apAuthorizationApi,
    logging: new LoggingApi(instance.logging),
  });
  const restconf = new RestconfServer({ checkHost: (req, res) => gate.checkHost(req, res), auth: new RestconfAuth(instance.auth, instance.limiter), sources: instance.restconf });
  routes = consoleRoutes({ gate, restconf, instance, pages: (req, res) => void handle(req, res) });
  const https = await HttpsIdentity.start(web.https, identitySourceFor(config, instance.trust), { log: (line) => console.log(line) });
  // An admin who renewed EWC_TLS_CERT and EWC_TLS_KEY says so with SIGHUP (file changes are noticed too).
  process.on('SIGHUP', () => void https.reload('SIGHUP'));
  // The standby's 503 ("its console is starting") answers on both ports until here: a page reloading meanwhile never meets a closed port.
  const webPorts = standby ? await standby.close() : { httpPort: config.port, httpsPort: config.https.port };
  const ports = await web.listen(config.host, webPorts.httpPort, webPorts.httpsPort);
  const url = `http://${hostPort(config.host, ports.httpPort)}`;
  const httpsUrl = `https://${hostPort(config.host, ports.httpsPort)}`;
  const capwapPort = await instance.capwap.listen(config.capwapPort, config.host);
  const capwapUrl = `https://${hostPort(config.host, capwapPort)}`;

  const cliPort = await instance.cli.listening;
  await world.startFleet({
    capwapUrl,
    caCertPem: fs.readFileSync(path.join(instance.trust.pkiDir, 'ca.crt'), 'utf8'),
    joinToken: instance.trust.joinToken,
    vendorKeys: loadTrustedVendorKeys(config.vendorKeyDir),
  });

  const page = '/administration/software-management/software-upgrade';
  const consoleUrl = `${web.plainHttp === 'serve' ? url : httpsUrl}${page}`;
  await leadership.listening({ webUrl: consoleUrl, apUrl: capwapUrl, cliUrl: cliUrlOf(config.host, cliPort) });
  console.log(`EWC Software Upgrade console: ${consoleUrl}`);
  if (leadership.shared) console.log(`  node ${leadership.name}: leads (the other nodes on this database stand by; EWC_LEADER_TIMEOUT_MS ${config.node.leaderTimeoutMs})`);
  console.log(`  data folder: ${config.dataDir}`);
  console.log(`  database: ${config.database.engine === 'postgres' ? `PostgreSQL ${redactedDatabaseUrl(config.database.url)}` : `SQLite in the data folder`}`);
  const identity = https.identity;
  console.log(
    `  HTTPS: ${httpsUrl}${page} (certificate SHA-256 ${identity.fingerprint}, from ${identity.source}${config.https.certFile ? '' : `, CA ${path.join(instance.trust.pkiDir, 'ca.crt')}`}; kill -HUP ${process.pid} reloads it)`,
  );
  console.log(`  RESTCONF: ${httpsUrl}/restconf (HTTP Basic with a console account; read-only)`);
  const redirectWhy = config.plainHttpRedirect ? 'EWC_PLAIN_HTTP_REDIRECT=1' : `HOST ${config.host} is not a loopback address`;
  console.log(web.plainHttp === 'serve' ? `  plain HTTP: ${url} (loopback only)` : `  plain HTTP: ${url} only redirects to HTTPS (${redirectWhy})`);
  console.log(`  CLI: ssh -p ${cliPort} admin@${config.host} (host key ${instance.cli.fingerprint})`);
  console.log(
    `  AP port (mutual TLS, enrolment and /capwap): ${capwapUrl}; AP authorization: ${config.apAdmission.autoApprove ? 'enrolled APs approved automatically' : 'an admin approves each enrolled AP'}`,
  );
  if (instance.generatedAdminPassword) {
    console.log(`  first start: log in as admin with password ${instance.generatedAdminPassword}`);
    console.log('  (shown once; set EWC_ADMIN_PASSWORD before the first start to choose it, change it under Administration > User Administration)');
  }
  for (const line of world.describe(capwapUrl)) console.log(line);

  installGracefulStop(async (reason) => {
    web.closeIdleConnections();
    https.dispose();
    await instance.close(reason);
    await leadership.stop();
    await web.close();
    await world.close();
  });
}

/**
 * On PostgreSQL, waits for the leader lock with the web ports (plain and HTTPS) forwarding to the leader, or
 * answering 503 when none answers (standbyPage.ts), and keeps answering 503 while its own console starts:
 * `standby.close()` frees the ports (and gives their numbers) just before the console listens there. On SQLite,
 * leads at once.
 */
async function leadOrStandBy(config: ConsoleConfig): Promise<{ leadership: NodeLeadership; leading: Leading; standby: { close(): Promise<{ httpPort: number; httpsPort: number }> } | null }> {
  const leadership = new NodeLeadership(config);
  if (!leadership.shared) return { leadership, leading: await leadership.lead(), standby: null };
  const allowedHosts = { configured: config.allowedHosts, listenHost: config.host };
  const proof = forwardProofFor(config);
  const door = standbyDoor(() => leadership.status, allowedHosts, leaderForwardFor(config, leadership.name), proof);
  let https: Awaited<ReturnType<typeof listenStandbyHttps>> | null = null;
  const plainDoor = plainStandbyDoor(
    door,
    plainHttpModeFor(config.host, config.plainHttpRedirect),
    () => https?.port ?? config.https.port,
    () => leadership.status,
    allowedHosts,
    proof,
  );
  const plain = await listenStandby(createServer(), config.host, config.port, plainDoor);
  const reload = () => void https?.identity.reload('SIGHUP');
  let cliForward: { close(): Promise<void> } | null = null;
  const close = async () => {
    process.off('SIGHUP', reload);
    await Promise.all([plain.close(), https?.close()]);
    return { httpPort: plain.port, httpsPort: https?.port ?? config.https.port };
  };
  try {
    await leadership.join(`http://${hostPort(config.host, plain.port)}`);
    // Once joined: a certificate from the local CA needs the CA the nodes share.
    https = await listenStandbyHttps(config, leadership.sharedTrust!, door, (line) => console.log(line));
    process.on('SIGHUP', reload);
    // The CLI port passes ssh on to the leader's CLI until this node leads; then its own CLI takes the port.
    cliForward = await forwardCliToLeader(config, leadership);
    const leading = await leadership.lead((node) => console.log(node.describeStandby()));
    await cliForward?.close();
    leadership.exitOnLoss();
    if (leading.takenOverFrom) console.log(`node ${leadership.name}: takes over from node ${leading.takenOverFrom}`);
    return { leadership, leading, standby: { close } };
  } catch (error) {
    await cliForward?.close();
    await close();
    throw error;
  }
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error.message}`);
  process.exit(1);
});
