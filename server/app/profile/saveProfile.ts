import { toProfileView, type ImageDownloadProfilePatch, type ImageDownloadProfileView } from '../../../lib/imageDownloadProfile';
import type { ProfileRepository, StoredProfile } from '../../store/profileRepository';
import { inTransaction, type Executor } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';
import { describeProfileChanges } from '../audit/profileChanges';
import { ok, type Result } from '../result';
import { validateProfile, type ValidateProfileDeps } from './validateProfile';

export interface SaveProfileDeps extends ValidateProfileDeps {
  db: Executor;
  profiles: ProfileRepository;
  audit: AuditLog;
  /** Told after every save has committed, so open pages show the saved profile. */
  profileSaved: () => void;
}

/** The page's Save (and the CLI's profile commands): the fields the input names change, the others keep their values. */
export async function saveProfile(deps: SaveProfileDeps, input: unknown, actor: Actor): Promise<Result<ImageDownloadProfileView>> {
  const validated = validateProfile(deps, input);
  if (!validated.ok) return validated;
  return ok(toProfileView(await storeProfilePatch(deps, validated.value, actor)));
}

/** Stores the fields the patch names; a patch naming none (the CLI's `ap image predownload`) saves and audits nothing. */
export async function storeProfilePatch(deps: SaveProfileDeps, patch: ImageDownloadProfilePatch, actor: Actor): Promise<StoredProfile> {
  if (Object.keys(patch).length === 0) return deps.profiles.get();
  // The row and its audit line commit together; the repository's memory follows once they have.
  const saved = await inTransaction(deps.db, async (tx) => {
    const { before, saved } = await deps.profiles.save(tx, patch);
    await deps.audit.record(auditedBy(actor, 'profile.save', describeProfileChanges(before, saved)), tx);
    return saved;
  });
  deps.profileSaved();
  return saved;
}
