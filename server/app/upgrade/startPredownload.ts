import { toFieldIssues, type HostKeyInfo } from '../../../lib/imageDownloadProfile';
import { hostPort } from '../../../lib/netAddress';
import { describeTargets, downloadExtrasSchema } from '../../../lib/rollout';
import { sentence } from '../../../lib/serverSentences';
import { isUpgradeBusy, upgradeBusySentence, type UpgradeView } from '../../../lib/upgradeStage';
import { BackupReplacementError } from '../../orchestrator/upgradeConflicts';
import type { StoredProfile } from '../../store/profileRepository';
import type { UpgradeOrigin } from '../../store/upgradeRepository';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { storeProfilePatch, type SaveProfileDeps } from '../profile/saveProfile';
import { INVALID_PROFILE, validateProfile } from '../profile/validateProfile';
import { invalid, refused, type Refused, type Result } from '../result';
import { scheduleAction, type ScheduleActionDeps } from '../schedule/scheduleAction';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

export interface StartPredownloadDeps extends SaveProfileDeps, ScheduleActionDeps, UpgradeCommandDeps {
  /** Reads an SSH server's host key without logging in; rejects with the reason (`Timed out`, `Connection refused`). */
  probeHostKey: (host: string, port: number) => Promise<HostKeyInfo>;
}

/** Started (the new upgrade's id), or scheduled (the pending action's id, and the upgrade as it is). */
export type StartPredownloadAnswer = { started: number } | { scheduled: number; upgrade: UpgradeView };

// RESTCONF starts no predownload; an upgrade's origin names the surfaces that do.
const originVia = (via: Actor['via']): UpgradeOrigin['via'] => (via === 'restconf' ? 'api' : via);

/**
 * Save & Download: saves what the input names, then starts the predownload to every AP or to the targets,
 * now or at a time. The save and its audit line commit together; the predownload reads its bundle (a network
 * fetch) before it exists, so its own audit line is written once it has started, apart from the save.
 */
export async function startPredownload(deps: StartPredownloadDeps, input: unknown, actor: Actor): Promise<Result<StartPredownloadAnswer>> {
  const validated = validateProfile(deps, input, true);
  if (!validated.ok) return validated;
  const extras = downloadExtrasSchema.safeParse(input);
  if (!extras.success) return invalid(INVALID_PROFILE, toFieldIssues(extras.error));
  const { targets = null, at, confirmReplaceBackup = false } = extras.data;
  const { orchestrator } = deps;
  if (at) {
    await storeProfilePatch(deps, validated.value, actor);
    const record = await scheduleAction(deps, 'download', { at, windowEnd: null }, targets, actor, `download at ${at} to ${describeTargets(targets)}`);
    return { ok: true, value: { scheduled: record.id, upgrade: orchestrator.view() } };
  }
  // Refused before the save, so that a download that cannot start leaves the profile as it was.
  const { stage } = orchestrator.view();
  if (isUpgradeBusy(stage)) return refused('conflict', upgradeBusySentence(stage));
  const profile = await storeProfilePatch(deps, validated.value, actor);
  if (profile.mode === 'SFTP' && !profile.sftp.hostKeyFingerprint) {
    const challenge = await hostKeyChallenge(deps, profile);
    // An unreachable server is not a trust question: the predownload starts and its rows say Timed out.
    if (challenge) return challenge;
  }
  try {
    const record = await orchestrator.startPredownload(profile, targets, { username: actor.username, via: originVia(actor.via) }, { replaceBackup: confirmReplaceBackup });
    await deps.audit.record(auditedBy(actor, 'upgrade.download', `upgrade ${record.id} from ${record.imageUrl}${confirmReplaceBackup ? ', backup images replaced as confirmed' : ''}`));
    return { ok: true, value: { started: record.id } };
  } catch (error) {
    if (error instanceof BackupReplacementError) {
      return refused('conflict', `${error.message} Confirm to replace it (confirmReplaceBackup: true), or leave these APs out with targets.`, { details: { backupReplacement: error.replacement } });
    }
    return commandRefusal(error);
  }
}

async function hostKeyChallenge(deps: StartPredownloadDeps, profile: StoredProfile): Promise<Refused | null> {
  let hostKey: HostKeyInfo;
  try {
    hostKey = await deps.probeHostKey(profile.sftp.imageServer, profile.sftp.port);
  } catch {
    return null;
  }
  return hostKeyChallengeRefusal(hostPort(profile.sftp.imageServer, profile.sftp.port), hostKey);
}

/** An SFTP server whose host key nobody trusted yet: the admin checks its fingerprint and trusts it, then downloads. */
export function hostKeyChallengeRefusal(server: string, hostKey: Pick<HostKeyInfo, 'fingerprint'>): Refused {
  return refused('trustRequired', sentence('hostKeyNotTrusted', { server, fingerprint: hostKey.fingerprint }), { details: { hostKey } });
}
