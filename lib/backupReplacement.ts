import { z } from 'zod';
import { runsVersion } from './upgradeOutcome';

/** What a predownload of a version some APs already run would cost them: each one's backup image, replaced by the running one. */
export const backupReplacementSchema = z.object({
  version: z.string(),
  /** How many APs would lose their backup image. */
  count: z.number().int().min(1),
  /** The first of them (the list is bounded), with the backup image each would lose. */
  aps: z.array(z.object({ name: z.string(), mac: z.string(), backupImage: z.string() })),
});
export type BackupReplacement = z.infer<typeof backupReplacementSchema>;

/** The 409 answer to a Save & Download that needs the admin's confirmation first. */
export const backupReplacementRefusalSchema = z.object({ error: z.string(), backupReplacement: backupReplacementSchema });

const LISTED = 50;

interface ImagedAp {
  name: string;
  mac: string;
  primaryImage: string;
  backupImage: string;
}

/**
 * An AP whose backup image a predownload of `version` would overwrite with the image it runs:
 * it runs that version and holds another one as its fallback.
 */
export function losesBackupTo(ap: ImagedAp, version: string): boolean {
  return runsVersion(ap, version) && ap.backupImage !== version;
}

/** The APs (of those a predownload targets) that would lose their fallback version, or null when none would. */
export function backupReplacementOf(aps: Iterable<ImagedAp>, version: string): BackupReplacement | null {
  const losing = [...aps].filter((ap) => losesBackupTo(ap, version)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  if (losing.length === 0) return null;
  return { version, count: losing.length, aps: losing.slice(0, LISTED).map(({ name, mac, backupImage }) => ({ name, mac, backupImage })) };
}

/** "2 AP(s) already run 17.12.1.5: predownloading it replaces their backup image (AP-1 loses 17.9.4.27, AP-2 loses 17.3.3.26)…" */
export function describeBackupReplacement({ version, count, aps }: BackupReplacement): string {
  const listed = aps.map((ap) => `${ap.name} loses ${ap.backupImage}`).join(', ');
  const more = count > aps.length ? ` and ${count - aps.length} more` : '';
  return `${count} AP(s) already run ${version}: predownloading it replaces their backup image with the running one (${listed}${more}), leaving them no other version to fall back to.`;
}
