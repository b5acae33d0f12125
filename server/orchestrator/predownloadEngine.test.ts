import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApJoinInfo, ImageOffer } from '../../lib/capwapEvents';
import type { EndReply } from '../../lib/capwapReplies';
import type { DeliveryOptions } from '../capwap/apSession';
import { ImageCache } from '../imageSource/imageCache';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from '../imageSource/imageSource';
import { SecretBox } from '../secrets/secretBox';
import { openTestStore } from '../sim/testing/testStores';
import { AccessPointRepository } from '../store/accessPointRepository';
import { EventLog } from '../store/eventLog';
import { EMPTY_PROFILE } from '../store/profileRepository';
import { UnitOfWork } from '../store/unitOfWork';
import { UpgradeRepository } from '../store/upgradeRepository';
import { UpgradeRunRepository } from '../store/upgradeRunRepository';
import type { ApLink, ApLinks, EngineConfig } from './apLink';
import { PredownloadRunner } from './predownloadRunner';
import { PredownloadTransitions } from './predownloadTransitions';
import { TransferProgress } from './transferProgress';
import type { UpgradeRun } from './upgradeRun';
import { UpgradeStages } from './upgradeStages';

// The predownload engine alone: a real store (a SQLite file), a fake image server and fake APs at its
// two edges (ImageSource, ApLink), no socket, no TFTP, no TLS.

const IMAGE_BYTES = 4096;

/** An image server that counts what it is asked for; it has the AP images and no version or signature files. */
class FakeImageSource implements ImageSource {
  readonly fetches = new Map<string, number>();

  displayUrl(fileName: string): string {
    return `tftp://127.0.0.1/bundle/${fileName}`;
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    this.fetches.set(fileName, (this.fetches.get(fileName) ?? 0) + 1);
    if (!fileName.startsWith('ap')) throw new ImageFetchError('File not found', false);
    await Promise.resolve();
    fs.writeFileSync(destination, Buffer.alloc(IMAGE_BYTES, fileName));
    options.onProgress(IMAGE_BYTES, IMAGE_BYTES);
    return { bytes: IMAGE_BYTES, elapsedMs: 1, detail: 'fake' };
  }
}

/** One attempt as the fake AP saw it. */
interface Attempt {
  mac: string;
  offer: ImageOffer;
  maxResumeOffset: number;
  signal: AbortSignal;
}

/** How a fake AP answers one delivery; the default takes the whole image and proves it. */
type Behaviour = (attempt: Attempt, options: DeliveryOptions, n: number) => Promise<EndReply>;

const takesAll: Behaviour = async (attempt, options) => {
  options.onAcknowledged(attempt.offer.size);
  return { ok: true, sha256: attempt.offer.sha256, message: '' };
};

/** Fake APs: every delivery is recorded, with how many ran at once and which were told to abort. */
class FakeLinks implements ApLinks {
  readonly attempts: Attempt[] = [];
  /** Every image offered (a precheck), delivered or not. */
  readonly offers: string[] = [];
  readonly aborted: string[] = [];
  readonly connected = new Set<string>();
  active = 0;
  maxActive = 0;
  behaviour: Behaviour = takesAll;

  get(mac: string): ApLink | undefined {
    if (!this.connected.has(mac)) return undefined;
    return {
      precheck: async (offer) => {
        this.offers.push(`${mac} ${offer.transferId}`);
        return { ok: true, availableKb: 1 << 20, requiredKb: 4, message: '' };
      },
      deliver: async (offer, _path, options) => {
        const attempt = { mac, offer, maxResumeOffset: options.maxResumeOffset, signal: options.signal };
        this.attempts.push(attempt);
        this.active += 1;
        this.maxActive = Math.max(this.maxActive, this.active);
        try {
          return await this.behaviour(attempt, options, this.attempts.filter((a) => a.mac === mac).length);
        } finally {
          this.active -= 1;
        }
      },
      abort: async (reason) => {
        this.aborted.push(`${mac}: ${reason}`);
      },
    };
  }

  isConnected(mac: string): boolean {
    return this.connected.has(mac);
  }

  endpoints(): null {
    return null;
  }
}

/** Resolves when `done()` holds, polling; a bound in case it never does. */
async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Resolves once the signal aborts: a delivery that only a cancel ends. */
function untilAborted(signal: AbortSignal): Promise<EndReply> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ ok: false, sha256: '', message: 'aborted' }), { once: true }));
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const close of closers.splice(0)) await close();
});

async function engine(options: { slots?: number; maxRetries?: number; baseDelayMs?: number } = {}) {
  const opened = await openTestStore();
  const unitOfWork = new UnitOfWork(opened.store, 60_000);
  const aps = await AccessPointRepository.load(opened.db, unitOfWork);
  const upgrades = await UpgradeRepository.load(opened.db, unitOfWork);
  const runs = new UpgradeRunRepository(unitOfWork, new SecretBox(Buffer.alloc(32, 7)));
  const log = await EventLog.load(opened.db, unitOfWork, 10_000);
  // What each AP's row said each time it changed, as the page would have been told.
  const rows: { mac: string; status: string; nextRetryTime: string | null }[] = [];
  const notifier = {
    apChanged: (mac: string) => {
      const ap = aps.get(mac);
      if (ap) rows.push({ mac, status: ap.predownloadStatus, nextRetryTime: ap.nextRetryTime });
    },
    upgradeChanged: () => {
      if (current) told.push({ active: current.deliveries.active, waiting: current.deliveries.waiting });
    },
  };
  // What the page was last told of the delivery slots (the upgrade view's `Delivering to N AP(s) at once; M waiting`).
  const told: { active: number; waiting: number }[] = [];
  const config: EngineConfig = {
    maxConcurrentPredownloads: options.slots ?? 4,
    retry: { maxRetries: options.maxRetries ?? 0, baseDelayMs: options.baseDelayMs ?? 5 },
    unsignedImages: 'sha256-only',
    vendorKeyDir: path.join(opened.dataDir, 'vendor-keys'),
  };
  const links = new FakeLinks();
  const source = new FakeImageSource();
  let current: UpgradeRun | null = null;
  const runner = new PredownloadRunner(
    {
      config,
      aps,
      upgrades,
      runs,
      log,
      progress: new TransferProgress(),
      notifier,
      links: () => links,
      transitions: new PredownloadTransitions(aps, log, notifier),
      stages: new UpgradeStages(upgrades, aps.reader, log, unitOfWork, notifier),
    },
    () => current,
  );
  closers.push(async () => {
    current?.abort.abort();
    current?.dispose();
    await unitOfWork.close();
    await opened.dispose();
  });

  const join = (mac: string, imageType = 'ap1g7') => {
    const info: ApJoinInfo = { name: `AP-${mac.slice(-4)}`, mac, model: 'C9130AXI', imageType, primaryVersion: '17.9.4.27', backupVersion: '', freeSpaceKb: 1 << 20, hostsController: false };
    aps.upsertJoin(info);
    links.connected.add(mac);
  };
  const start = () => {
    const record = upgrades.create({ mode: 'TFTP', imageUrl: source.displayUrl(''), parallelMode: false, message: 'Predownload' });
    const cacheDir = path.join(opened.dataDir, 'image-cache', `upgrade-${record.id}`);
    runs.create(record.id, EMPTY_PROFILE, cacheDir);
    const run = runner.newRun(record.id, source, new ImageCache(cacheDir, source), false);
    run.targetVersion = '17.12.1.0';
    current = run;
    runner.background(run, runner.execute(run));
    return run;
  };
  const stage = (run: UpgradeRun) => upgrades.get(run.id)?.stage;
  const ended = (run: UpgradeRun) => until('the predownload to end', () => ['Activate', 'Failed'].includes(stage(run) ?? ''));
  return { aps, links, source, runner, rows, told, join, start, stage, ended, current: () => current };
}

const macs = (n: number) => Array.from({ length: n }, (_, i) => `0a00.0000.${String(i + 1).padStart(4, '0')}`);

describe('the predownload engine, with fake APs and a fake image server', () => {
  it('never runs more deliveries at once than its slots, and every AP gets the image', async () => {
    const e = await engine({ slots: 2 });
    for (const mac of macs(6)) e.join(mac);
    // Each delivery waits a few turns, so that the queue is full while they run.
    e.links.behaviour = async (attempt, options) => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      return takesAll(attempt, options, 1);
    };
    const run = e.start();
    await e.ended(run);
    expect(e.stage(run)).toBe('Activate');
    expect(e.links.attempts).toHaveLength(6);
    expect(e.links.maxActive).toBe(2);
    for (const mac of macs(6)) expect(e.aps.get(mac)?.predownloadStatus).toBe('Complete');
  });

  it('tells the page how many deliveries run and wait whenever that changes, not only when the stage does', async () => {
    const e = await engine({ slots: 2 });
    for (const mac of macs(5)) e.join(mac);
    const mismatches: string[] = [];
    e.links.behaviour = async (attempt, options) => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      // Mid-delivery: the last thing the page was told is what the slots hold now.
      const run = e.current()!;
      const now = { active: run.deliveries.active, waiting: run.deliveries.waiting };
      const last = e.told.at(-1);
      if (last?.active !== now.active || last?.waiting !== now.waiting) mismatches.push(`told ${JSON.stringify(last)}, slots ${JSON.stringify(now)}`);
      return takesAll(attempt, options, 1);
    };
    const run = e.start();
    await e.ended(run);
    expect(e.stage(run)).toBe('Activate');
    expect(mismatches).toEqual([]);
    expect(e.told.at(-1)).toEqual({ active: 0, waiting: 0 });
  });

  it('fetches each bundle file once, however many APs need it and however many retries they make', async () => {
    const e = await engine({ maxRetries: 2, baseDelayMs: 1 });
    for (const mac of macs(4)) e.join(mac, 'ap1g7');
    for (const mac of macs(7).slice(4)) e.join(mac, 'ap1g6');
    // The first AP's first attempt fails: its retry must reuse the cached file.
    e.links.behaviour = async (attempt, options, n) => (attempt.mac === macs(1)[0] && n === 1 ? { ok: false, sha256: '', message: 'Link lost' } : takesAll(attempt, options, n));
    const run = e.start();
    await e.ended(run);
    expect(e.stage(run)).toBe('Activate');
    expect(e.aps.get(macs(1)[0])?.retryCount).toBe(1);
    expect(e.source.fetches.get('ap1g7')).toBe(1);
    expect(e.source.fetches.get('ap1g6')).toBe(1);
  });

  it('retries a failed AP with a doubling back-off until its retries are used up, then fails it', async () => {
    // Date alone is frozen, so the planned retry times are exact; the timers run for real (a few ms).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-06T02:00:00.000Z') });
    const e = await engine({ maxRetries: 3, baseDelayMs: 5 });
    const [mac] = macs(1);
    e.join(mac);
    e.links.behaviour = async () => ({ ok: false, sha256: '', message: 'Link lost' });
    const run = e.start();
    await e.ended(run);
    const ap = e.aps.get(mac)!;
    expect(e.stage(run)).toBe('Failed');
    expect(e.links.attempts).toHaveLength(4);
    expect(ap.predownloadStatus).toBe('Failed');
    expect(ap.retryCount).toBe(3);
    expect(ap.nextRetryTime).toBeNull();
    expect(ap.lastError).toBe('Link lost');
    // Each row said when its retry would come: 5, 10, then 20 ms after the failure.
    const planned = e.rows.filter((row) => row.status === 'Failed' && row.nextRetryTime !== null).map((row) => row.nextRetryTime);
    expect(planned).toEqual(['2026-12-06T02:00:00.005Z', '2026-12-06T02:00:00.010Z', '2026-12-06T02:00:00.020Z']);
  });

  it('resumes a retry from the bytes the AP acknowledged, never beyond', async () => {
    const e = await engine({ maxRetries: 1, baseDelayMs: 1 });
    const [mac] = macs(1);
    e.join(mac);
    e.links.behaviour = async (attempt, options, n) => {
      if (n > 1) return takesAll(attempt, options, n);
      options.onAcknowledged(1000);
      return { ok: false, sha256: '', message: 'Link lost' };
    };
    const run = e.start();
    await e.ended(run);
    expect(e.stage(run)).toBe('Activate');
    expect(e.links.attempts.map((a) => a.maxResumeOffset)).toEqual([IMAGE_BYTES, 1000]);
  });

  it('on cancel starts nothing new and aborts what is in flight', async () => {
    const e = await engine({ slots: 2, maxRetries: 3, baseDelayMs: 1 });
    for (const mac of macs(5)) e.join(mac);
    e.links.behaviour = (attempt) => untilAborted(attempt.signal);
    const run = e.start();
    await until('two deliveries in flight', () => e.links.active === 2);
    const inFlight = e.links.attempts.slice();
    const offered = e.links.offers.slice();
    e.runner.cancel(run, 'Predownload cancelled by the administrator');
    await until('the deliveries in flight to end', () => e.links.active === 0);
    // Wait out what a retry timer or a freed slot would have started.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(e.links.offers).toEqual(offered);
    expect(e.links.attempts).toEqual(inFlight);
    expect(inFlight.every((a) => a.signal.aborted)).toBe(true);
    expect(e.links.aborted.sort()).toEqual(macs(5).map((mac) => `${mac}: Predownload cancelled by the administrator`));
    for (const mac of macs(5)) expect(e.aps.get(mac)?.predownloadStatus).toBe('Aborted');
  });
});
