import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import { backupReplacementSchema, describeBackupReplacement } from '../../lib/backupReplacement';
import type { BundleApproval } from '../../lib/bundleApproval';
import type { SyslogLine } from '../../lib/syslog';
import { siteTagTargets } from '../../lib/rollout';
import type { UpgradeView } from '../../lib/upgradeStage';
import { actorVia } from '../app/actor';
import type { AppDeps } from '../app/appDeps';
import { changeHostname } from '../app/cliSettings/changeHostname';
import { saveProfile } from '../app/profile/saveProfile';
import type { DomainError } from '../app/result';
import { abortSiteTag } from '../app/upgrade/abortSiteTag';
import { activate } from '../app/upgrade/activate';
import { cancelPredownload } from '../app/upgrade/cancelPredownload';
import { startPredownload as startPredownloadUseCase } from '../app/upgrade/startPredownload';
import type { AuthService } from '../auth/authService';
import { hashSessionId } from '../auth/sessionStore';
import type { CliAuth } from './cliAuth';
import type { CliActor, CliBackend } from './cliBackend';
import type { HostnameStore } from './hostname';
import type { SshKeys } from '../accounts/sshKeys';
import type { LoggingService } from '../syslog/loggingService';

export interface ConsoleCliDeps {
  /** The use cases' dependencies (server/app): every change typed here goes through the same use case as the page's. */
  app: AppDeps;
  /** The profile as configuration lines (Export configuration's text). */
  profileConfig: () => string;
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

const hostKeySchema = z.object({ fingerprint: z.string() });

/** A use case's refusal as IOS error lines: `% Error: …`, the words Ansible's and Netmiko's users look for. */
function refusal(error: DomainError, what: string): string[] {
  const lines = error.issues?.length ? error.issues.map((i) => `% Error: ${what}: ${i.message} (${i.path})`) : [`% Error: ${error.message}`];
  const hostKey = hostKeySchema.safeParse(error.details?.hostKey);
  if (hostKey.success) lines.push(`Trust it with "sftp-host-key ${hostKey.data.fingerprint}" in the image-download profile, then run ap image predownload again.`);
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
 * The CLI's view of the console. Every change goes through the same use cases (server/app) as the page's
 * routes, so it is validated, audited (source `ADDRESS (ssh)`) and pushed to open pages the same way;
 * a refusal is read by its code, never by an HTTP status.
 */
export function createConsoleCliBackend(deps: ConsoleCliDeps): { backend: CliBackend; auth: CliAuth } {
  const { app, auth } = deps;
  const cliActor = (actor: CliActor) => actorVia(actor, 'cli');
  const { hostnames } = deps;
  // `ap image swap` arms the upgrade waiting for Activate; `ap image reset` then activates it.
  let swappedUpgrade: number | null = null;

  /** Save & Download with the saved profile (the body names no profile field: the profile is used as saved, whatever was saved since this session read it). */
  const startPredownload = async (actor: CliActor, body: object, words: { started: string; replaceBackup: string }): Promise<string[]> => {
    const result = await startPredownloadUseCase(app, body, cliActor(actor));
    if (!result.ok) {
      const replacement = backupReplacementSchema.safeParse(result.error.details?.backupReplacement);
      if (replacement.success) return [`% Error: ${describeBackupReplacement(replacement.data)}`, `To replace their backup image anyway: ${words.replaceBackup}`];
      const { upgradeId, bundleApproval } = deps.upgrade();
      return result.error.code === 'conflict' && upgradeId !== null && bundleApproval ? heldBundle(upgradeId, bundleApproval) : refusal(result.error, 'Predownload not started');
    }
    // The CLI's body names no time: a predownload it asks for starts now.
    if (!('started' in result.value)) throw new Error('A predownload typed in the CLI was scheduled');
    const upgradeId = result.value.started;
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
      const result = await changeHostname({ db: app.db, hostnames, audit: auth.audit }, name, cliActor(actor));
      return result.ok ? [] : refusal(result.error, 'Host name not changed');
    },
    saveProfile: async (input, actor) => {
      const result = await saveProfile(app, input, cliActor(actor));
      return result.ok ? [] : refusal(result.error, 'Image download profile not saved');
    },
    profileConfig: deps.profileConfig,
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
      const result = await abortSiteTag(app, siteTag, cliActor(actor));
      if (!result.ok) return refusal(result.error, 'Abort refused');
      const { cancelled, aborted } = result.value;
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
      const result = await activate(app, {}, cliActor(actor));
      if (!result.ok) return refusal(result.error, 'Reset refused');
      swappedUpgrade = null;
      return [`Resetting the APs: they swap to ${upgrade.targetVersion}, reload and join again (show ap image).`];
    },
    approveBundle: async (actor) => {
      const waiting = deps.upgrade().bundleApproval;
      if (!waiting) return ['% Error: No bundle is waiting for approval.'];
      // The files as this command shows them, digests included: one that changed since is refused, not trusted unseen.
      const result = await app.approvals.approve({ files: waiting.files.map(({ name, sha256 }) => ({ name, sha256 })) }, cliActor(actor));
      if (!result.ok) return refusal(result.error, 'Bundle not trusted');
      return [`Trusted by ${actor.username}: ${waiting.files.map((file) => `${file.name} sha256 ${file.sha256}`).join(', ')}. The predownload goes on; follow it with show ap image.`];
    },
    cancel: async (actor) => {
      const result = await cancelPredownload(app, cliActor(actor));
      return result.ok ? ['AP image predownload aborted: every AP drops its partial image.'] : refusal(result.error, 'Abort refused');
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
