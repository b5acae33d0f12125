import fs from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { startFleet, type Fleet } from './agent/fleet';
import { readFleetFile } from './agent/fleetSpec';
import { DEMO_CATALOG_API_KEY, DEMO_CATALOG_USER } from './catalog/demoCatalog';
import { ConfigError, loadConfig } from './config';
import { createConsole, type ConsoleInstance } from './createConsole';
import { DEMO_CONTROLLER_VERSION, DEMO_FLEET } from './demo/demoFleet';
import { DEMO_SFTP_PASSWORD, DEMO_SFTP_USER, startDemoImageServers, type DemoImageServers } from './demo/demoEnvironment';
import { installGracefulStop } from './gracefulStop';
import { installApis } from './http/consoleAccess';
import { RequestGate } from './http/requestGate';
import { SshKeysApi } from './http/sshKeysApi';
import { isUploadPath } from '../lib/httpModeSettings';
import { loadTrustedVendorKeys } from './imageSigning/imageManifest';

async function main(): Promise<void> {
  const config = loadConfig();
  const demo: DemoImageServers | null = config.demo ? await startDemoImageServers(config) : null;
  const aps = config.fleetFile ? readFleetFile(config.fleetFile) : config.demo ? DEMO_FLEET : [];

  const nextApp = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname: config.host, port: config.port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  let instance: ConsoleInstance | null = null;
  let gate: RequestGate | null = null;
  const httpServer = createServer((req, res) => {
    const running = instance;
    if (!running || !gate) return;
    gate.admit(req, res).then(
      (admitted) => {
        if (!admitted) return;
        // Desktop (HTTP) uploads go to the tus server, past Next.js and its body handling.
        if (isUploadPath(req.url ?? '')) void running.uploads.handle(req, res);
        else void handle(req, res);
      },
      (error: Error) => {
        console.error(`Request refused: ${error.message}`);
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ error: 'The console cannot check the session now; try again in a moment.' }));
      },
    );
  });
  instance = await createConsole(httpServer, config, { defaultProfile: demo?.profile, initialControllerVersion: DEMO_CONTROLLER_VERSION });
  gate = new RequestGate(instance.auth, { allowedHosts: { configured: config.allowedHosts, listenHost: config.host }, limiter: instance.limiter });
  installApis({ console: instance.api, auth: instance.authApi, catalog: instance.catalogApi, imageTrust: instance.imageTrustApi, sshKeys: new SshKeysApi(instance.sshKeys, instance.auth), apAuthorization: instance.apAuthorizationApi });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
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

  console.log(`EWC Software Upgrade console: ${url}/administration/software-management/software-upgrade`);
  console.log(`  data folder: ${config.dataDir}`);
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
    // Idle keep-alive connections would hold the HTTP server open; active ones finish within the deadline.
    httpServer.closeIdleConnections();
    await instance?.close(reason);
    await fleet?.stop();
    await demo?.close();
  });
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error.message}`);
  process.exit(1);
});
