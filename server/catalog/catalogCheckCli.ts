import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AP_IMAGE_TYPES } from '../../lib/imageBundle';
import { CERTIFICATE_FINGERPRINT } from '../../lib/firmwareCatalog';
import { ConfigError, loadConfig } from '../config';
import { firmwareCheck } from './catalogClient';
import { controllerIdentity } from './controllerIdentity';
import { CatalogError } from './catalogError';
import { catalogNetworkOf } from './catalogNetwork';

const USAGE = `Usage: CATALOG_API_KEY=… npm run catalog -- check https://catalog.example.com --user NAME [--ca ca.pem | --fingerprint AB:CD:…] [--image-type ap1g8 …] [--running 17.9.4.27] [--timeout S] [--allow-loopback]
The password or API key comes only from CATALOG_API_KEY, never from the command line.
The address rules and transfer limits are the console's (EWC_CATALOG_*); a loopback catalog needs --allow-loopback.`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** `npm run catalog -- check URL`: one firmware check from the command line, as the console runs it. */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      ca: { type: 'string' },
      fingerprint: { type: 'string' },
      'image-type': { type: 'string', multiple: true },
      running: { type: 'string', default: '17.9.4.27' },
      timeout: { type: 'string', default: '15' },
      'allow-loopback': { type: 'boolean', default: false },
    },
  });
  const [command, url] = positionals;
  if (command !== 'check' || !url || !values.user) fail(USAGE);
  const key = process.env.CATALOG_API_KEY;
  if (!key) fail('Set CATALOG_API_KEY to the account password or API key.');
  const fingerprint = values.fingerprint?.toUpperCase() ?? null;
  if (fingerprint && !CERTIFICATE_FINGERPRINT.test(fingerprint)) fail('--fingerprint is 32 bytes as AB:CD:…, as openssl x509 -fingerprint -sha256 prints it');
  const imageTypes = values['image-type'] ?? [...AP_IMAGE_TYPES];
  let network;
  let identity;
  try {
    const config = loadConfig();
    network = { ...catalogNetworkOf(config), timeoutMs: Number(values.timeout) * 1000, allowLoopback: values['allow-loopback'] };
    // The console of this data folder asks (its X-Guid), without an AP of its own: X-Ap-Info is NA, NA, NA.
    identity = await controllerIdentity({
      caCertPath: path.join(config.dataDir, 'pki', 'ca.crt'),
      aps: () => [],
      certificateSerial: async () => null,
      factoryDefault: () => false,
      requireSignedImages: config.unsignedImages === 'refuse',
    });
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  try {
    const answer = await firmwareCheck(
      {
        catalogUrl: url,
        account: { username: values.user, key },
        trust: { caPem: values.ca ? fs.readFileSync(values.ca, 'utf8') : null, fingerprint },
        network,
        identity,
        onStep: (step) => console.log(`Firmware check: ${step}`),
      },
      {
        controller: { name: 'cli', version: '' },
        // The catalog answers per image type; the AP identity is a placeholder from the command line.
        imageTypes: imageTypes.map((imageType, i) => ({ imageType, runningVersion: values.running, ap: { serial: `CLI${i}`, mac: `00:00:00:00:00:${String(i).padStart(2, '0')}`, model: imageType } })),
      },
    );
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    for (const entry of answer.imageTypes) {
      const latest = entry.latest ? `${entry.latest.version} (${mb(entry.latest.image.size)})` : 'none';
      const recommended = entry.recommended ? `${entry.recommended.version} (${mb(entry.recommended.image.size)})` : 'none';
      console.log(`${entry.imageType.padEnd(8)} latest ${latest.padEnd(22)} recommended ${recommended}${entry.latest ? '' : '  Not Supported'}`);
    }
  } catch (error) {
    const reason = error instanceof CatalogError ? error.reason : (error as Error).message;
    fail(`Failed to check for new version at ${url}: ${reason}`);
  }
}

void main();
