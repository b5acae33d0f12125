import { z } from 'zod';
import { sha256Schema } from './httpModeSettings';
import type { PredownloadStatus } from './predownloadStatus';

/** `POST`: trust every file of the bundle the upgrade waits on, `{ files: [{ name, sha256 }] }`, the digests as shown. */
export const APPROVE_BUNDLE_PATH = '/api/software-upgrade/approve-bundle';

/** A bundle file waiting for an admin's trust: what an engineer compares with the vendor's published digests. */
export const bundleFileSchema = z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string() });
export type BundleFile = z.output<typeof bundleFileSchema>;

/**
 * An upgrade held because its bundle carries no signature manifest (`EWC_REQUIRE_SIGNED_IMAGES=ask`):
 * the bundle's URL and each file fetched into the image cache that no admin trusted yet.
 */
export const bundleApprovalSchema = z.object({ path: z.string(), files: z.array(bundleFileSchema) });
export type BundleApproval = z.output<typeof bundleApprovalSchema>;

export const approveBundleSchema = z.object({
  files: z
    // Other keys (the `size` GET shows, sent back whole) are dropped: the digest already names the bytes.
    .array(z.object({ name: z.string().min(1).max(255), sha256: sha256Schema }))
    .min(1, 'Name every file of the bundle with its SHA-256')
    .max(64),
});
export type ApproveBundleRequest = z.output<typeof approveBundleSchema>;

/**
 * Why an approval does not match what waits: it must name every waiting file, each with the digest
 * shown, and nothing else, so that a file changed since the admin compared it is never trusted
 * unseen. Null when it matches.
 */
export function approvalMismatch(waiting: BundleApproval, request: ApproveBundleRequest): string | null {
  const asked = new Map(request.files.map((file) => [file.name, file.sha256]));
  const problems: string[] = [];
  if (asked.size !== request.files.length) problems.push('a file is named twice');
  for (const file of waiting.files) {
    const sha256 = asked.get(file.name);
    if (sha256 === undefined) problems.push(`${file.name} is missing (sha256 ${file.sha256})`);
    else if (sha256 !== file.sha256) problems.push(`${file.name} is sha256 ${file.sha256}, not ${sha256}`);
  }
  const extra = request.files.filter((file) => !waiting.files.some((w) => w.name === file.name)).map((file) => file.name);
  if (extra.length > 0) problems.push(`${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not waiting for approval`);
  return problems.length === 0
    ? null
    : `The approval does not match the bundle ${waiting.path} waiting for it: ${problems.join('; ')}. Compare the files again and approve each with the SHA-256 shown.`;
}

/** The files of an approval as the syslog, the audit trail and the CLI name them. */
export function describeBundleFiles(files: readonly BundleFile[]): string {
  return files.map((file) => `${file.name} (${file.size} bytes) sha256 ${file.sha256}`).join(', ');
}

/**
 * Whether an AP row waits on an admin's trust of its bundle: while an approval is asked for, the run
 * offers no AP a byte (every file is held for one decision), so each AP of the run that has not yet
 * received its image waits for it, whatever its counter says (*Completed downloading*: the controller holds the image).
 */
export function waitsForBundleTrust(status: PredownloadStatus, approvalAsked: boolean): boolean {
  return approvalAsked && (status === 'Initiated' || status === 'Downloading');
}
