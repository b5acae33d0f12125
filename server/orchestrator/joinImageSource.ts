import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VERSION_FILE } from '../../lib/imageBundle';
import type { ConsoleConfig } from '../config';
import { SigningGate } from '../imageSource/bundleSignature';
import { ImageCache } from '../imageSource/imageCache';
import type { ImageSource } from '../imageSource/imageSource';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import { readBundleVersion, type BundleVersion } from './bundleVersion';
import { installReport } from './installLog';
import type { TransferProgress } from './transferProgress';

export interface JoinImageSourceDeps {
  config: ConsoleConfig;
  log: EventLog;
  progress: TransferProgress;
  createImageSource: (profile: StoredProfile) => ImageSource;
}

/** The saved profile's image server, with the images fetched from it so far: one fetch per image type for every joiner. */
export interface JoinSource {
  key: string;
  source: ImageSource;
  cache: ImageCache;
  version: Promise<BundleVersion> | null;
  signing: SigningGate | null;
  /** Image types whose image the controller holds: their Downloading APs count as *Completed downloading*. */
  held: Set<string>;
}

/**
 * Where downloads at join fetch from: the saved profile's image server and the join image cache, one per
 * saved profile. A profile saved since gets a fresh cache, so an image of the old one never reaches an AP.
 */
export class JoinImageSources {
  private current: JoinSource | null = null;

  /** @param signal the downloads' abort signal as it is now (a predownload that takes precedence replaces it). */
  constructor(
    private readonly deps: JoinImageSourceDeps,
    private readonly signal: () => AbortSignal,
  ) {}

  /** Whether the controller holds the image of this type for APs that join. */
  held(imageType: string): boolean {
    return this.current?.held.has(imageType) ?? false;
  }

  isCurrent(joinSource: JoinSource): boolean {
    return joinSource === this.current;
  }

  /** The image source of the saved profile. */
  sourceFor(profile: StoredProfile): JoinSource {
    const key = createHash('sha256').update(JSON.stringify(profile)).digest('hex');
    if (this.current?.key === key) return this.current;
    const root = path.join(this.deps.config.dataDir, 'join-image-cache');
    fs.rmSync(root, { recursive: true, force: true });
    const source = this.deps.createImageSource(profile);
    this.current = { key, source, cache: new ImageCache(path.join(root, key.slice(0, 16)), source), version: null, signing: null, held: new Set() };
    return this.current;
  }

  /** The bundle's version.info, read once per profile; a failed read is forgotten, so the next try asks the server again. */
  async bundleVersion(joinSource: JoinSource): Promise<BundleVersion> {
    joinSource.version ??= readBundleVersion(joinSource.source, joinSource.cache, this.fetchOptions(), installReport(this.deps.log, joinSource.source.displayUrl(VERSION_FILE)));
    const bundle = await joinSource.version;
    if (!bundle.ok && this.current === joinSource) joinSource.version = null;
    return bundle;
  }

  /** What vouches for the bundle's images (read once per profile), for the version the controller gives. */
  signing(joinSource: JoinSource, version: string): SigningGate {
    if (joinSource.signing) return joinSource.signing;
    const gate = new SigningGate();
    const policy = { ...this.deps.config, expectedVersion: version, acceptsTrustedDigests: joinSource.source.trustedDigest !== undefined };
    void gate.read(joinSource.cache, () => this.fetchOptions(), policy);
    joinSource.signing = gate;
    return gate;
  }

  fetchOptions() {
    const countFetched = this.deps.progress.fetchCounter();
    return { signal: this.signal(), onProgress: (bytes: number) => countFetched(bytes) };
  }
}
