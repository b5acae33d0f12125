import type { SyslogLine } from '../syslog';
import { violation, type Violation } from './violation';

/** A bundle on an image server (its folder's URL, which every file's `Started install add URL` starts with), and whether a vendor signed it. */
export interface BundleFact {
  url: string;
  version: string;
  signed: boolean;
}

const STARTED = /install_engine: Started install add (\S+)/;
// A predownload's line, or a download at join's (`Image Download Success: 17.9.4.27, …`), which may reuse an image fetched earlier.
const PREDOWNLOADED = /Image (?:Predownload|Download) Success: (\S+?),/;

/** Whether a line says an image was verified against a signature (the SHA-256-only words of an unsigned bundle do not). */
export function claimsSignatureVerified(text: string): boolean {
  return /signing verify success/i.test(text) || (/verify success/i.test(text) && !/SHA-256 only|not signed/i.test(text));
}

/**
 * No line says "verify success" of an image no signature vouched for. A line is judged by the bundle of the
 * upgrade it was logged in, or, when it names a version that bundle does not hold (a late line of the upgrade
 * before), by that version's bundle.
 */
export function verifyClaimsAreTrue(lines: readonly SyslogLine[], bundles: readonly BundleFact[]): Violation[] {
  const found: Violation[] = [];
  let current: BundleFact | null = null;
  for (const line of lines) {
    const started = STARTED.exec(line.text);
    if (started) current = bundles.find((bundle) => started[1].startsWith(`${bundle.url}/`)) ?? null;
    if (!claimsSignatureVerified(line.text)) continue;
    const version = PREDOWNLOADED.exec(line.text)?.[1];
    // Two sources may offer the same version (an image server and a catalog): the upgrade's own comes first.
    const bundle = !version || current?.version === version ? current : (bundles.find((b) => b.version === version) ?? null);
    if (bundle && !bundle.signed) found.push(violation('verifyClaims', `"${line.text}" (${line.time}), but no vendor signed ${bundle.url} (${bundle.version})`));
  }
  return found;
}
