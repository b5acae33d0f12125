import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { HeldImage, ImageKind } from '../../../lib/capwapEvents';
import { macDigits } from '../../../lib/macAddress';

const receivedSchema = z.object({ bytes: z.number().int().nonnegative() });
const partialMetaSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** What an AP keeps across reloads: its two image slots (and, on the AP that hosts it, the controller's). */
export interface ApImageSlots {
  primaryVersion: string;
  backupVersion: string;
  backupSha256: string | null;
  controllerPrimaryVersion?: string;
  controllerBackupVersion?: string;
  /** The staged controller image's digest, so an offer of the same image again needs no bytes. */
  controllerBackupSha256?: string | null;
}

/** A simulated AP's folder below the fleet's storage root, named by its MAC's twelve hex digits in whatever form the MAC was written. */
export function apStorageDir(storageRoot: string, mac: string): string {
  return path.join(storageRoot, macDigits(mac));
}

/**
 * An AP's own flash, as a folder: `state.json` for the image slots, `<kind>.part`
 * for an image being received, `<kind>-backup.img` for a verified staged image.
 */
export class ApStorage {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  partialPath(kind: ImageKind): string {
    return path.join(this.dir, `${kind}.part`);
  }

  backupPath(kind: ImageKind): string {
    return path.join(this.dir, `${kind}-backup.img`);
  }

  primaryPath(kind: ImageKind): string {
    return path.join(this.dir, `${kind}-primary.img`);
  }

  /**
   * Every image byte this AP ever wrote to its flash, kept in `received.json` across agent restarts:
   * tests count it to prove that no byte was delivered twice.
   */
  bytesReceived(): number {
    const file = path.join(this.dir, 'received.json');
    if (!fs.existsSync(file)) return 0;
    const parsed = receivedSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.bytes : 0;
  }

  addReceived(total: number): void {
    const file = path.join(this.dir, 'received.json');
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ bytes: total }));
    fs.renameSync(`${file}.tmp`, file);
  }

  load(initial: ApImageSlots): ApImageSlots {
    const file = path.join(this.dir, 'state.json');
    if (!fs.existsSync(file)) return initial;
    return { ...initial, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ApImageSlots>) };
  }

  save(slots: ApImageSlots): void {
    const file = path.join(this.dir, 'state.json');
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(slots, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  }

  /**
   * What the AP says at join it holds: each staged image whole, and each partial file as far as it got
   * (its `.part.json` names the image it belongs to), so a controller that restarted knows before it offers anything.
   */
  heldImages(slots: ApImageSlots): HeldImage[] {
    const held: HeldImage[] = [];
    const sizeOf = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? null;
    for (const kind of ['ap', 'controller'] as const) {
      const staged = kind === 'ap' ? slots.backupSha256 : slots.controllerBackupSha256;
      const stagedBytes = sizeOf(this.backupPath(kind));
      if (staged && stagedBytes !== null) held.push({ kind, sha256: staged, bytes: stagedBytes });
      const partialBytes = sizeOf(this.partialPath(kind));
      const meta = partialBytes === null ? null : this.partialMeta(kind);
      if (meta && partialBytes !== null) held.push({ kind, sha256: meta.sha256, bytes: partialBytes });
    }
    return held;
  }

  /** The image a partial file belongs to; null when none is named (or the file cannot be read: the AP then says it holds nothing of it). */
  private partialMeta(kind: ImageKind): z.output<typeof partialMetaSchema> | null {
    try {
      const parsed = partialMetaSchema.safeParse(JSON.parse(fs.readFileSync(`${this.partialPath(kind)}.json`, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Makes the staged backup image the one the AP boots, keeping the old one as backup. */
  swap(kind: ImageKind): void {
    const primary = this.primaryPath(kind);
    const backup = this.backupPath(kind);
    const spare = `${primary}.old`;
    if (fs.existsSync(primary)) fs.renameSync(primary, spare);
    if (fs.existsSync(backup)) fs.renameSync(backup, primary);
    if (fs.existsSync(spare)) fs.renameSync(spare, backup);
  }
}
