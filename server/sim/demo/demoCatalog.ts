import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CONTROLLER_IMAGE_FILE, REAL_IMAGE_SIZES, type ImageType } from '../../../lib/imageBundle';
import { DEMO_BUNDLE_CONTROLLER_VERSION, DEMO_BUNDLE_VERSION, writeRandomFile, type DemoBundle } from './demoBundle';
import { writeSignedManifest } from '../../imageSigning/imageManifest';
import type { StoredCco } from '../../store/httpModeColumns';
import { startCatalogService, type CatalogServiceHandle } from '../catalog/catalogService';
import { ensureServerCertificate } from '../catalog/certificateAuthority';

/** Well-known demo account, printed at start: it opens nothing but the loopback demo catalog. */
export const DEMO_CATALOG_USER = 'ewc-demo';
export const DEMO_CATALOG_API_KEY = 'ewc-demo-api-key';
/** The newer demo release: Wi-Fi 6/6E image types only, so the Wave 2 APs of the demo fleet are Not Supported by it. */
export const DEMO_LATEST_VERSION = '17.18.1.2';
export const DEMO_LATEST_CONTROLLER_VERSION = '17.18.01.0.2';
const LATEST_IMAGE_TYPES: readonly ImageType[] = ['ap1g6', 'ap1g6a', 'ap1g7', 'ap1g8'];
const SCALE_DOWN = 64;

export interface DemoCatalog {
  service: CatalogServiceHandle;
  fingerprint: string;
  /** The CCO settings the demo profile is pre-filled with. */
  cco: StoredCco;
}

/** The newer release's files, signed with the demo vendor key as the demo bundle is: a catalog serves each release with its vendor's signature. */
function ensureLatestRelease(dir: string, size: 'scaled' | 'real', vendorKey: KeyObject): void {
  fs.mkdirSync(dir, { recursive: true });
  const names = [...LATEST_IMAGE_TYPES, CONTROLLER_IMAGE_FILE] as const;
  for (const name of names) {
    const real = REAL_IMAGE_SIZES[name];
    writeRandomFile(path.join(dir, name), size === 'real' ? real : Math.ceil(real / SCALE_DOWN) + 4096);
  }
  writeSignedManifest(dir, DEMO_LATEST_VERSION, names, vendorKey);
}

/**
 * The embedded firmware catalog of the demo: HTTPS on loopback with a CA of its own created
 * on the first start, offering the demo bundle (recommended) and a newer release (latest), each
 * with its signature manifest by the demo vendor key (the bundle must have been signed with it).
 */
export async function startDemoCatalog(dataDir: string, bundle: DemoBundle, port: number, size: 'scaled' | 'real', vendorKey: KeyObject): Promise<DemoCatalog> {
  const root = path.join(dataDir, 'demo-catalog');
  const certificate = ensureServerCertificate(path.join(root, 'tls'), 'EWC demo firmware catalog');
  const latestDir = path.join(root, 'releases', DEMO_LATEST_VERSION);
  ensureLatestRelease(latestDir, size, vendorKey);
  const service = await startCatalogService({
    host: '127.0.0.1',
    port,
    certPem: certificate.certPem,
    keyPem: certificate.keyPem,
    accounts: { [DEMO_CATALOG_USER]: DEMO_CATALOG_API_KEY },
    releases: [
      { version: DEMO_BUNDLE_VERSION, controllerVersion: DEMO_BUNDLE_CONTROLLER_VERSION, recommended: true, dir: path.join(bundle.root, bundle.imagePath) },
      { version: DEMO_LATEST_VERSION, controllerVersion: DEMO_LATEST_CONTROLLER_VERSION, recommended: false, dir: latestDir },
    ],
  });
  return {
    service,
    fingerprint: certificate.fingerprint,
    cco: {
      catalogUrl: service.url,
      username: DEMO_CATALOG_USER,
      password: DEMO_CATALOG_API_KEY,
      release: 'recommended',
      autoCheck: 'off',
      autoCheckTime: '03:00',
      caCertificate: certificate.caPem.trim(),
      certificateFingerprint: '',
    },
  };
}
