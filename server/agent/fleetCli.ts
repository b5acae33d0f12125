import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../demo/demoFleet';
import { generatedFleet, startFleet } from './fleet';
import { readFleetFile } from './fleetSpec';
import { loadTrustedVendorKeys } from '../imageSigning/imageManifest';
import { JOIN_TOKEN_FILE } from '../pki/joinToken';

const USAGE =
  'usage: npm run fleet -- --controller https://HOST:AP_PORT [--count N | --file FLEET.json] [--link-kbps N] [--data-dir DIR] [--reload-ms N]\n' +
  '  [--ca CA.crt] [--join-token-file FILE] [--vendor-keys DIR]   (the join token may also come from EWC_JOIN_TOKEN)';

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

function main(): Promise<void> | void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        controller: { type: 'string' },
        count: { type: 'string' },
        file: { type: 'string' },
        'link-kbps': { type: 'string', default: '0' },
        'data-dir': { type: 'string', default: '.data/fleet-cli' },
        'reload-ms': { type: 'string', default: '3000' },
        // The console's files, when the fleet runs beside it: its CA, its fleet join token, the trusted vendor keys.
        ca: { type: 'string', default: '.data/pki/ca.crt' },
        'join-token-file': { type: 'string', default: `.data/pki/${JOIN_TOKEN_FILE}` },
        'vendor-keys': { type: 'string', default: '.data/vendor-keys' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const count = values.count === undefined ? null : Number(values.count);
  if (!values.controller || (count !== null && (!Number.isInteger(count) || count < 1))) {
    console.error(USAGE);
    process.exit(2);
  }
  const aps = values.file ? readFleetFile(values.file) : count !== null ? generatedFleet(count, DEMO_FLEET_VERSION) : DEMO_FLEET;
  // Never on the command line, where other users could read it: the environment or a file.
  const enrolmentToken = process.env.EWC_JOIN_TOKEN ?? (fs.existsSync(values['join-token-file']) ? readText(values['join-token-file'], 'the join token file') : null);
  return startFleet({
    controllerUrl: values.controller,
    trust: { caCertPem: readText(values.ca, 'the controller CA certificate'), enrolmentToken },
    vendorKeys: loadTrustedVendorKeys(path.resolve(values['vendor-keys'])),
    aps,
    storageRoot: path.resolve(values['data-dir']),
    linkKbps: Number(values['link-kbps']),
    reloadMs: Number(values['reload-ms']),
  }).then((fleet) => {
    console.log(`${fleet.agents.length} APs joined ${values.controller}`);
    const shutdown = () => void fleet.stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}

Promise.resolve(main()).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
