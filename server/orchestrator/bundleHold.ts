import type { BundleApproval, BundleFile } from '../../lib/bundleApproval';
import type { CachedImage } from '../imageSource/imageCache';
import { bundleUrl, type ImageSource } from '../imageSource/imageSource';

// By name, so every surface lists a bundle's files in one order whatever order they were fetched in.
const byName = (files: BundleFile[]) => files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * One run's unsigned bundle under `EWC_REQUIRE_SIGNED_IMAGES=ask`: its fetched files that no admin
 * trusted wait here, listed for the page, the API and the CLI, until a trust decision covers each
 * one (looked up again in the trust list, so a file that changed since is still held) or the run
 * is cancelled. No AP is offered a byte of a file while it waits.
 */
export class BundleHold {
  private readonly waiting = new Map<string, BundleFile>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly source: ImageSource,
    private readonly signal: AbortSignal,
    /** Told when files start waiting: the log line and the open pages. */
    private readonly held: (files: BundleFile[]) => void,
  ) {}

  private trusted(fileName: string, sha256: string): boolean {
    return (this.source.trustedDigest?.(fileName, sha256) ?? null) !== null;
  }

  /** Resolves once an admin trusted every one of these images (at once when they all are already), or the run is cancelled. */
  async cleared(images: readonly CachedImage[]): Promise<void> {
    const untrusted = images.filter((image) => !this.trusted(image.fileName, image.sha256));
    if (untrusted.length === 0 || this.signal.aborted) return;
    const added = untrusted.map((image): BundleFile => ({ name: image.fileName, size: image.size, sha256: image.sha256 })).filter((file) => this.waiting.get(file.name)?.sha256 !== file.sha256);
    for (const file of added) this.waiting.set(file.name, file);
    if (added.length > 0) this.held(byName(added));
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!this.signal.aborted && !untrusted.every((image) => this.trusted(image.fileName, image.sha256))) return;
        this.waiters.delete(check);
        this.signal.removeEventListener('abort', check);
        resolve();
      };
      this.waiters.add(check);
      this.signal.addEventListener('abort', check);
    });
  }

  /** What waits for an admin's trust, or null when nothing does. */
  view(): BundleApproval | null {
    return this.waiting.size === 0 ? null : { path: bundleUrl(this.source), files: byName([...this.waiting.values()]) };
  }

  /** After a trust decision: the files it covers stop waiting, and so does every delivery held on them. */
  recheck(): void {
    for (const [name, file] of this.waiting) if (this.trusted(name, file.sha256)) this.waiting.delete(name);
    for (const check of [...this.waiters]) check();
  }
}
