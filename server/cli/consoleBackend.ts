import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import { backupReplacementRefusalSchema, describeBackupReplacement } from '../../lib/backupReplacement';
import type { BundleApproval } from '../../lib/bundleApproval';
import type { SyslogLine } from '../../lib/syslog';
import { siteTagTargets } from '../../lib/rollout';
import type { UpgradeView } from '../../lib/upgradeStage';
import type { AuthService } from '../auth/authService';
import { hashSessionId } from '../auth/sessionStore';
import type { ConsoleApi } from '../http/consoleApi';
import type { ImageTrustApi } from '../http/imageTrustApi';
import type { ApiResult } from '../http/apiResult';
import type { CliAuth } from './cliAuth';
import type { CliActor, CliBackend } from './cliBackend';
import { HOSTNAME_PATTERN, type HostnameStore } from './hostname';
import type { SshKeys } from './sshKeys';
import type { LoggingService } from '../syslog/loggingService';

export interface ConsoleCliDeps {
  api: ConsoleApi;
  imageTrust: ImageTrustApi;
  /** Resolves once the upgrade knows whether its bundle waits for an admin's trust. */
  bundleTrustKnown: (upgradeId: number) => Promise<void>;
  auth: AuthService;
  sshKeys: SshKeys;
  /** The prompt's host name (hostname.ts). */
  hostnames: HostnameStore;
  logging: LoggingService;
  apImage: () => ApImageReport;
  syslog: () => SyslogLine[];
  upgrade: () => UpgradeView;
  startedAt: number;
}

// The API's refusals: `{ error, issues? }`, read through a schema rather than trusted as a shape.
const refusalSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  hostKey: z.object({ fingerprint: z.string() }).optional(),
});

/** An API refusal as IOS error lines: `% Error: …`, the words Ansible's and Netmiko's users look for. */
function refusal(result: ApiResult, what: string): string[] {
  const parsed = refusalSchema.safeParse(result.body);
  if (!parsed.success) return [`% Error: ${what} failed (${result.status}).`];
  const { error, issues, hostKey } = parsed.data;
  const lines = issues?.length ? issues.map((i) => `% Error: ${what}: ${i.message} (${i.path})`) : [`% Error: ${error}`];
  if (hostKey) lines.push(`Trust it with "sftp-host-key ${hostKey.fingerprint}" in the image-download profile, then run ap image predownload again.`);
  return lines;
}

/** An unsigned bundle the upgrade holds, as IOS error lines: each file's digest, to compare with the vendor's, and how to trust them. */
function heldBundle(upgradeId: number, approval: BundleApproval): string[] {
  return [
    `% Error: Upgrade ${upgradeId} holds the bundle ${approval.path}: it is not signed, and no AP receives its images until an administrator trusts them. Compare each SHA-256 with the one its vendor publishes:`,
    ...approval.files.map((file) => `  ${file.name}  ${file.size} bytes  sha256 ${file.sha256}`),
    'Trust them with "ap image predownload approve"; the predownload then goes on.',
  ];
}

/**
 * The CLI's view of the console. Every change goes through the same ConsoleApi calls as the page's
 * routes, so it is validated, audited (source `ADDRESS (ssh)`) and pushed to open pages the same way.
 */
export function createConsoleCliBackend(deps: ConsoleCliDeps): { backend: CliBackend; auth: CliAuth } {
  const { api, auth } = deps;
  const { hostnames } = deps;
  // `ap image swap` arms the upgrade waiting for Activate; `ap image reset` then activates it.
  let swappedUpgrade: number | null = null;

  /** Save & Download with the saved profile (the body names no profile field: the profile is used as saved, whatever was saved since this session read it). */
  const startPredownload = async (actor: CliActor, body: object, words: { started: string; replaceBackup: string }): Promise<string[]> => {
    const result = await api.startDownload(body, actor, 'cli');
    const replacement = backupReplacementRefusalSchema.safeParse(result.body);
    if (result.status === 409 && replacement.success) {
      return [`% Error: ${describeBackupReplacement(replacement.data.backupReplacement)}`, `To replace their backup image anyway: ${words.replaceBackup}`];
    }
    if (result.status !== 202) {
      const { upgradeId, bundleApproval } = deps.upgrade();
      return result.status === 409 && upgradeId !== null && bundleApproval ? heldBundle(upgradeId, bundleApproval) : refusal(result, 'Predownload not started');
    }
    const upgradeId = z.object({ upgradeId: z.number() }).parse(result.body).upgradeId;
    // A bundle whose version cannot be read ends the upgrade at once: say so, not "started".
    const upgrade = deps.upgrade();
    if (upgrade.upgradeId === upgradeId && upgrade.stage === 'Failed') return [`% Error: Upgrade ${upgradeId} failed: ${upgrade.message ?? 'see show logging'}`];
    // An unsigned bundle is fetched, then held: the command answers once it is known, as an untrusted host key is refused.
    await deps.bundleTrustKnown(upgradeId);
    const held = deps.upgrade();
    if (held.upgradeId === upgradeId && held.bundleApproval) return heldBundle(upgradeId, held.bundleApproval);
    return [`AP image predownload started${words.started} (upgrade ${upgradeId}); follow it with show ap image.`];
  };

  const backend: CliBackend = {
    startedAt: deps.startedAt,
    hostname: () => hostnames.get(),
    setHostname: async (name, actor) => {
      if (name !== null && !HOSTNAME_PATTERN.test(name)) return ['% Error: A host name is letters, digits and inner hyphens, 63 characters at most.'];
      await hostnames.set(name);
      await auth.audit.record({ username: actor.username, sourceAddress: actor.sourceAddress, action: 'cli.hostname', detail: name ?? `default (${hostnames.get()})` });
      return [];
    },
    saveProfile: async (input, actor) => {
      const result = await api.saveProfile(input, actor);
      return result.status === 200 ? [] : refusal(result, 'Image download profile not saved');
    },
    profileConfig: () => String(api.exportConfig().body),
    predownload: (actor, options = {}) => startPredownload(actor, options.replaceBackup ? { confirmReplaceBackup: true } : {}, { started: '', replaceBackup: 'ap image predownload replace-backup' }),
    predownloadSiteTag: async (actor, siteTag) => {
      if (!deps.apImage().aps.some((ap) => ap.siteTag === siteTag)) return [`% Error: No AP of this controller is in site tag ${siteTag}.`];
      // IOS's per-site command has no replace-backup: the page's Save & Download, with this site tag as its target, confirms it.
      return startPredownload(
        actor,
        { targets: siteTagTargets(siteTag) },
        { started: ` for site tag ${siteTag}`, replaceBackup: 'Save & Download on the page with this site tag as its target, and confirm' },
      );
    },
    abortSiteTag: async (actor, siteTag) => {
      const result = await api.maintenance.abortSiteTag(siteTag, actor);
      if (result.status !== 202) return refusal(result, 'Abort refused');
      const { cancelled, aborted } = z.object({ cancelled: z.boolean(), aborted: z.array(z.string()) }).parse(result.body);
      if (cancelled) return [`AP image predownload of site tag ${siteTag} aborted: every AP drops its partial image.`];
      return [`AP image predownload aborted for ${aborted.length} AP(s) of site tag ${siteTag} (${aborted.join(', ')}): each drops its partial image; the other APs go on.`];
    },
    swap: () => {
      const upgrade = deps.upgrade();
      if (upgrade.stage !== 'Activate' || upgrade.upgradeId === null) {
        return ['% Error: Nothing to swap: every AP must have completed its predownload (show ap image).'];
      }
      swappedUpgrade = upgrade.upgradeId;
      return [`AP image swap set: each AP boots ${upgrade.targetVersion} at its next reset (ap image reset).`];
    },
    reset: async (actor: CliActor) => {
      const upgrade = deps.upgrade();
      if (upgrade.stage !== 'Activate' || swappedUpgrade === null || swappedUpgrade !== upgrade.upgradeId) {
        return ["% Error: No AP image swap pending: run ap image swap first (swap then reset is the page's Activate)."];
      }
      const result = await api.activate(actor);
      if (result.status !== 202) return refusal(result, 'Reset refused');
      swappedUpgrade = null;
      return [`Resetting the APs: they swap to ${upgrade.targetVersion}, reload and join again (show ap image).`];
    },
    approveBundle: async (actor) => {
      const waiting = deps.upgrade().bundleApproval;
      if (!waiting) return ['% Error: No bundle is waiting for approval.'];
      // The files as this command shows them, digests included: one that changed since is refused, not trusted unseen.
      const result = await deps.imageTrust.approveBundle({ files: waiting.files.map(({ name, sha256 }) => ({ name, sha256 })) }, actor);
      if (result.status !== 200) return refusal(result, 'Bundle not trusted');
      return [`Trusted by ${actor.username}: ${waiting.files.map((file) => `${file.name} sha256 ${file.sha256}`).join(', ')}. The predownload goes on; follow it with show ap image.`];
    },
    cancel: async (actor) => {
      const result = await api.cancel(actor);
      return result.status === 202 ? ['AP image predownload aborted: every AP drops its partial image.'] : refusal(result, 'Abort refused');
    },
    changeLogging: async (change, actor) => {
      const result = await deps.logging.change(change, actor);
      return result.ok ? [] : result.issues.map((issue) => `% Error: ${result.error}: ${issue.message}${issue.path ? ` (${issue.path})` : ''}`);
    },
    logging: () => deps.logging.view(),
    upgrade: deps.upgrade,
    apImage: deps.apImage,
    syslog: deps.syslog,
  };

  const cliAuth: CliAuth = {
    password: async (username, password, sourceAddress) => {
      const result = await auth.login(username, password, sourceAddress);
      return result.ok ? { ok: true, login: { sessionId: result.sessionId, user: result.user } } : { ok: false, delayMs: result.delayMs };
    },
    publicKeys: (username) => deps.sshKeys.keysOf(username),
    keyLogin: (username, fingerprint, sourceAddress) => auth.loginWithVerifiedKey(username, fingerprint, sourceAddress),
    touch: async (sessionId) => (await auth.sessionUser(sessionId)) !== null,
    logout: (sessionId, sourceAddress) => auth.logout(sessionId, sourceAddress),
    onSessionEnded: (listener) => auth.onSessionEnded((ended) => listener(ended.idHash)),
    idHash: hashSessionId,
    idleMs: auth.sessionIdleMs,
  };
  return { backend, auth: cliAuth };
}
