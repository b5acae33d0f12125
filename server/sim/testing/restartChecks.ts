import fs from 'node:fs';
import path from 'node:path';
import type { ApImageReport } from '../../../lib/apImage';
import { CONTROLLER_IMAGE_FILE } from '../../../lib/imageBundle';
import { DEMO_BUNDLE_VERSION } from '../demo/demoBundle';
import { sha256OfFile } from '../../imageSigning/fileDigest';
import { apStorageDir } from '../ap/apStorage';
import { readStoppedConsole, type StoppedConsole } from '../../store/sqlite/stoppedConsole';
import { readStoppedConsoleRows } from '../../store/stoppedConsoleRows';
import { openStore } from '../../store/store';

/** Per AP, what the fault-injection run left on its flash. */
export interface ApOutcome {
  name: string;
  status: string;
  primaryImage: string;
  /** The image it boots is the server's file, byte for byte (and the controller image, on the AP that hosts it). */
  imageExact: boolean;
  bytesNeeded: number;
  bytesReceived: number;
}

export interface RestartChecks {
  aps: ApOutcome[];
  integrityCheck: string;
  profileIntact: boolean;
  users: string[];
  /** Events logged more often than they happened (`text ×N`); empty when none. */
  duplicatedEvents: string[];
  resumedLines: string[];
  /** `Controller node B took over upgrade N at stage S`: a standby node resumed the run of a leader that died. */
  takeoverLines: string[];
  reusedImageLines: string[];
  gracefulStop: { exitCode: number | null; ms: number; logged: boolean };
}

interface CheckInput {
  dataDir: string;
  /** The console ran on this PostgreSQL database, not on the SQLite file in `dataDir`. */
  databaseUrl?: string;
  fleetDir: string;
  bundleDir: string;
  profile: { mode: string; imageServer: string; imagePath: string; port: number; parallelMode: boolean };
  final: ApImageReport;
  gracefulStop: { exitCode: number | null; ms: number };
}

/**
 * Each of these happens once per AP, image or stage in one upgrade; its key names which one. A fetch is
 * not among them: one cut by a restart starts again and says so (`Started install add`), and a resumed
 * run reads the bundle's small files again; an image is still completed once.
 */
const ONCE: { what: string; key: RegExp }[] = [
  { what: 'predownload success', key: /AP Name: (\S+) .*Image Predownload Success/ },
  { what: 'download success', key: /AP Name: (\S+) .*Disjoined Image Download Success/ },
  { what: 'reloading', key: /AP Name: (\S+) .*Reloading to activate/ },
  { what: 'joined', key: /AP Name: (\S+) .*Joined running/ },
  { what: 'image fetched', key: /Completed install add (\S+\/(?:ap\w+|C9800-AP-iosxe-wlc\.bin))$/ },
  { what: 'stage', key: /Upgrade \d+: stage (\w+)/ },
];

/** What the stopped console left: its SQLite file, or its rows on PostgreSQL (which has no file to check). */
async function readStopped(input: CheckInput): Promise<StoppedConsole> {
  if (!input.databaseUrl) return readStoppedConsole(input.dataDir);
  const store = await openStore({ engine: 'postgres', url: input.databaseUrl });
  try {
    return { integrityCheck: 'not checked (PostgreSQL)', ...(await readStoppedConsoleRows(store.db)) };
  } finally {
    await store.close();
  }
}

/** Reads the console's database (after it stopped) and the fleet's flash folders. */
export async function checkAfterRestarts(input: CheckInput): Promise<RestartChecks> {
  const stopped = await readStopped(input);
  const { profile } = input;
  const saved = stopped.profile;
  const profileIntact =
    saved !== null &&
    saved.mode === profile.mode &&
    saved.imageServer === profile.imageServer &&
    saved.imagePath === profile.imagePath &&
    saved.port === profile.port &&
    saved.parallelMode === profile.parallelMode;
  const texts = stopped.eventTexts;
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const { what, key } of ONCE) {
      const match = key.exec(text);
      if (match) counts.set(`${what} ${match[1]}`, (counts.get(`${what} ${match[1]}`) ?? 0) + 1);
    }
  }
  const duplicatedEvents = [...counts].filter(([, n]) => n > 1).map(([event, n]) => `${event} ×${n}`);
  const aps = await Promise.all(input.final.aps.map((ap) => outcomeOf(ap, input)));
  return {
    aps,
    integrityCheck: stopped.integrityCheck,
    profileIntact,
    users: stopped.users,
    duplicatedEvents,
    resumedLines: texts.filter((text) => text.startsWith('Controller restarted: resuming upgrade')),
    takeoverLines: texts.filter((text) => /^Controller node \S+ took over upgrade /.test(text)),
    reusedImageLines: texts.filter((text) => text.includes('reused from the image cache')),
    gracefulStop: { ...input.gracefulStop, logged: texts.some((text) => text.startsWith('Controller stopping: controller stopped by SIGTERM')) },
  };
}

async function outcomeOf(ap: ApImageReport['aps'][number], input: CheckInput): Promise<ApOutcome> {
  const dir = apStorageDir(input.fleetDir, ap.mac);
  const received = path.join(dir, 'received.json');
  const bytesReceived = fs.existsSync(received) ? (JSON.parse(fs.readFileSync(received, 'utf8')) as { bytes: number }).bytes : 0;
  const files = ap.predownloadStatus === 'Joined' ? [['ap', ap.imageType] as const, ...(ap.hostsController ? [['controller', CONTROLLER_IMAGE_FILE] as const] : [])] : [];
  let bytesNeeded = 0;
  let imageExact = ap.primaryImage === DEMO_BUNDLE_VERSION;
  for (const [kind, fileName] of files) {
    const source = path.join(input.bundleDir, fileName);
    bytesNeeded += fs.statSync(source).size;
    const booted = path.join(dir, `${kind}-primary.img`);
    imageExact &&= fs.existsSync(booted) && (await sha256OfFile(booted)) === (await sha256OfFile(source));
  }
  return { name: ap.name, status: ap.predownloadStatus, primaryImage: ap.primaryImage, imageExact: imageExact && files.length > 0, bytesNeeded, bytesReceived };
}
