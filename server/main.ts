import fs from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { ConfigError, loadConfig } from './config';
import { createConsole } from './createConsole';
import { installGracefulStop } from './gracefulStop';
import { installApis } from './http/consoleAccess';
import { RequestGate } from './http/requestGate';
import { SshKeysApi } from './http/sshKeysApi';
import { isUploadPath } from '../lib/httpModeSettings';
import { loadTrustedVendorKeys } from './imageSigning/imageManifest';
// The demo wiring: the only product file that reaches into the simulators.
import { INITIAL_CONTROLLER_VERSION, SimulatedWorld } from './sim/demo/simulatedWorld';
import { hostPort } from '../lib/netAddress';

async function main(): Promise<void> {
  const config = loadConfig();
  const world = await SimulatedWorld.start(config);

  const nextApp = next({ dev: false, dir: path.resolve(import.meta.dirname, '..'), hostname: config.host, port: config.port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  let instance: ReturnType<typeof createConsole> | null = null;
  let gate: RequestGate | null = null;
  const httpServer = createServer((req, res) => {
    if (!instance || !gate?.admit(req, res)) return;
    // Desktop (HTTP) uploads go to the tus server, past Next.js and its body handling.
    if (isUploadPath(req.url ?? '')) void instance.uploads.handle(req, res);
    else void handle(req, res);
  });
  instance = createConsole(httpServer, config, { defaultProfile: world.defaultProfile, initialControllerVersion: INITIAL_CONTROLLER_VERSION });
  gate = new RequestGate(instance.auth, { allowedHosts: { configured: config.allowedHosts, listenHost: config.host }, limiter: instance.limiter });
  installApis({ console: instance.api, auth: instance.authApi, catalog: instance.catalogApi, imageTrust: instance.imageTrustApi, sshKeys: new SshKeysApi(instance.sshKeys, instance.auth), apAuthorization: instance.apAuthorizationApi });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${hostPort(config.host, port)}`;
  const capwapPort = await instance.capwap.listen(config.capwapPort, config.host);
  const capwapUrl = `https://${hostPort(config.host, capwapPort)}`;

  const cliPort = await instance.cli.listening;
  await world.startFleet({
    capwapUrl,
    caCertPem: fs.readFileSync(path.join(instance.trust.pkiDir, 'ca.crt'), 'utf8'),
    joinToken: instance.trust.joinToken,
    vendorKeys: loadTrustedVendorKeys(config.vendorKeyDir),
  });

  console.log(`EWC Software Upgrade console: ${url}/administration/software-management/software-upgrade`);
  console.log(`  data folder: ${config.dataDir}`);
  console.log(`  CLI: ssh -p ${cliPort} admin@${config.host} (host key ${instance.cli.fingerprint})`);
  console.log(`  AP port (mutual TLS, enrolment and /capwap): ${capwapUrl}; AP authorization: ${config.apAdmission.autoApprove ? 'enrolled APs approved automatically' : 'an admin approves each enrolled AP'}`);
  if (instance.generatedAdminPassword) {
    console.log(`  first start: log in as admin with password ${instance.generatedAdminPassword}`);
    console.log('  (shown once; set EWC_ADMIN_PASSWORD before the first start to choose it, change it under Administration > User Administration)');
  }
  for (const line of world.describe(capwapUrl)) console.log(line);

  installGracefulStop(async (reason) => {
    // Idle keep-alive connections would hold the HTTP server open; active ones finish within the deadline.
    httpServer.closeIdleConnections();
    await instance?.close(reason);
    await world.close();
  });
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `Failed to start: ${error.message}`);
  process.exit(1);
});
