import fs from 'node:fs';
import path from 'node:path';
import next from 'next';
import { startFleet, type Fleet } from './agent/fleet';
import { readFleetFile } from './agent/fleetSpec';
import { DEMO_CATALOG_API_KEY, DEMO_CATALOG_USER } from './catalog/demoCatalog';
import { ConfigError, loadConfig } from './config';
import { createConsole } from './createConsole';
import { DEMO_CONTROLLER_VERSION, DEMO_FLEET } from './demo/demoFleet';
import { DEMO_SFTP_PASSWORD, DEMO_SFTP_USER, startDemoImageServers, type DemoImageServers } from './demo/demoEnvironment';
import { installGracefulStop } from './gracefulStop';
import { installApis } from './http/consoleAccess';
import { RequestGate } from './http/requestGate';
import { LoggingApi } from './http/loggingApi';
import { SshKeysApi } from './http/sshKeysApi';
import { loadTrustedVendorKeys } from './imageSigning/imageManifest';
import { RestconfAuth } from './restconf/restconfAuth';
import { RestconfServer } from './restconf/restconfServer';
import { HttpsIdentity, identitySourceFor } from './web/httpsIdentity';
import { plainHttpModeFor } from './web/plainHttp';
import { consoleRoutes, WebServers, type WebRoutes } from './web/webServers';
import { bracketHost } from '../lib/netAddress';

async function main(): Promise<void> {
  const config = loadConfig();
  const demo: DemoImageServers | null = config.demo ? await startDemoImageServers(config) : null;
  const aps = config.fleetFile ? readFleetFile(config.fleetFile) : config.demo ? DEMO_FLEET : [];

  const nextApp = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname: config.host, port: config.port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  let routes: WebRoutes | null = null;
  const web = new WebServers(plainHttpModeFor(config.host), () => routes);
  const instance = await createConsole(web.consoleServers, config, { defaultProfile: demo?.profile, initialControllerVersion: DEMO_CONTROLLER_VERSION });
  const gate = new RequestGate(instance.auth, { allowedHosts: { configured: config.allowedHosts, listenHost: config.host }, limiter: instance.limiter, behindTlsProxy: config.secureCookie });
  installApis({ console: instance.api, auth: instance.authApi, catalog: instance.catalogApi, imageTrust: instance.imageTrustApi, sshKeys: new SshKeysApi(instance.sshKeys, instance.auth), apAuthorization: instance.apAuthorizationApi, logging: new LoggingApi(instance.logging) });
  const restconf = new RestconfServer({ checkHost: (req, res) => gate.checkHost(req, res), auth: new RestconfAuth(instance.auth, instance.limiter), sources: instance.restconf });
  routes = consoleRoutes({ gate, restconf, instance, pages: (req, res) => void handle(req, res) });
  const https = await HttpsIdentity.start(web.https, identitySourceFor(config, instance.trust), { log: (line) => console.log(line) });
  // An admin who renewed EWC_TLS_CERT and EWC_TLS_KEY says so with SIGHUP (file changes are noticed too).
  process.on('SIGHUP', () => void https.reload('SIGHUP'));
  const ports = await web.listen(config.host, config.port, config.https.port);
  const url = `http://${bracketHost(config.host)}:${ports.httpPort}`;
  const httpsUrl = `https://${bracketHost(config.host)}:${ports.httpsPort}`;
  const capwapPort = await instance.capwap.listen(config.capwapPort, config.host);
  const capwapUrl = `https://${config.host}:${capwapPort}`;

  const cliPort = await instance.cli.listening;
  let fleet: Fleet | null = null;
  if (aps.length > 0) {
    // The embedded fleet enrols like `npm run fleet`: the console's CA, its fleet join token, its trusted vendor keys.
    const starting = startFleet({
      controllerUrl: capwapUrl,
      trust: { caCertPem: fs.readFileSync(path.join(instance.trust.pkiDir, 'ca.crt'), 'utf8'), enrolmentToken: instance.trust.joinToken },
      vendorKeys: loadTrustedVendorKeys(config.vendorKeyDir),
      aps,
      storageRoot: path.join(config.dataDir, 'fleet'),
      linkKbps: config.apLinkKbps,
      reloadMs: config.reloadMs,
    });
    // Without auto-approval the APs wait for an admin, so the console must answer (and print how to log in) first.
    if (config.apAdmission.autoApprove) fleet = await starting;
    else {
      void starting.then(
        (started) => (fleet = started),
        (error: Error) => console.error(`Simulated fleet: ${error.message}`),
      );
    }
  }

  const page = '/administration/software-management/software-upgrade';
  console.log(`EWC Software Upgrade console: ${web.plainHttp === 'serve' ? url : httpsUrl}${page}`);
  console.log(`  data folder: ${config.dataDir}`);
  const identity = https.identity;
  console.log(`  HTTPS: ${httpsUrl}${page} (certificate SHA-256 ${identity.fingerprint}, from ${identity.source}${config.https.certFile ? '' : `, CA ${path.join(instance.trust.pkiDir, 'ca.crt')}`}; kill -HUP ${process.pid} reloads it)`);
  console.log(`  RESTCONF: ${httpsUrl}/restconf (HTTP Basic with a console account; read-only)`);
  console.log(web.plainHttp === 'serve' ? `  plain HTTP: ${url} (loopback only)` : `  plain HTTP: ${url} only redirects to HTTPS (HOST ${config.host} is not a loopback address)`);
  console.log(`  CLI: ssh -p ${cliPort} admin@${config.host} (host key ${instance.cli.fingerprint})`);
  console.log(`  AP port (mutual TLS, enrolment and /capwap): ${capwapUrl}; AP authorization: ${config.apAdmission.autoApprove ? 'enrolled APs approved automatically' : 'an admin approves each enrolled AP'}`);
  if (instance.generatedAdminPassword) {
    console.log(`  first start: log in as admin with password ${instance.generatedAdminPassword}`);
    console.log('  (shown once; set EWC_ADMIN_PASSWORD before the first start to choose it, change it under Administration > User Administration)');
  }
  if (demo) {
    console.log(`  demo TFTP image server: tftp://${demo.tftp.host}:${demo.tftp.port}${demo.bundle.imagePath} (${demo.bundle.files.length} files, ${config.demoImageSize} sizes)`);
    console.log(`  demo firmware catalog: ${demo.catalog.service.url} (account ${DEMO_CATALOG_USER}, demo API key ${DEMO_CATALOG_API_KEY}, certificate ${demo.catalog.fingerprint})`);
    console.log(`  demo SFTP image server: sftp://${DEMO_SFTP_USER}@${demo.sftp.host}:${demo.sftp.port}${demo.bundle.imagePath} (demo password ${DEMO_SFTP_PASSWORD}, host key ${demo.sftp.fingerprint})`);
  }
  if (aps.length > 0) {
    const link = config.apLinkKbps > 0 ? `${config.apLinkKbps} kbit/s per AP` : 'unlimited link rate';
    const waiting = fleet ? '' : '; they join once approved under Administration > AP Authorization';
    console.log(`  simulated fleet: ${aps.length} APs (${config.fleetFile ?? 'demo fleet'}), ${link}${waiting}`);
  } else {
    console.log(`  no simulated fleet: APs enrol and join at ${capwapUrl} (npm run fleet -- --controller ${capwapUrl})`);
  }

  installGracefulStop(async (reason) => {
    web.closeIdleConnections();
    https.dispose();
    await instance.close(reason);
    await web.close();
    await fleet?.stop();
    await demo?.close();
  });
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error.message}`);
  process.exit(1);
});
