import { imageDownloadProfileInputSchema, toFieldIssues, type ImageDownloadProfilePatch, type ValidationErrorBody } from '../../../lib/imageDownloadProfile';
import type { SecretBox } from '../../secrets/secretBox';
import type { ProfileRepository, StoredProfile } from '../../store/profileRepository';
import { invalid, ok, type Result } from '../result';
import { checkSftpInput } from './sftpProfileChecks';

export const INVALID_PROFILE = 'Invalid image download profile';

export interface ValidateProfileDeps {
  profiles: ProfileRepository;
  secrets: SecretBox;
  /** Checks of the profile a save would store, in CCO and Desktop (HTTP) modes, beyond the schema (more of them before a download); none when absent. */
  httpModeIssues?: (profile: StoredProfile, forDownload: boolean) => ValidationErrorBody['issues'];
}

/** Checks what a save names, then the profile it would store (the stored one with the named fields changed); answers the patch to store. */
export function validateProfile(deps: ValidateProfileDeps, input: unknown, forDownload = false): Result<ImageDownloadProfilePatch> {
  const parsed = imageDownloadProfileInputSchema.safeParse(input);
  if (!parsed.success) return invalid(INVALID_PROFILE, toFieldIssues(parsed.error));
  const checked = checkSftpInput(parsed.data, deps.profiles.get(), deps.secrets);
  if (!checked.ok) return invalid(INVALID_PROFILE, checked.issues);
  const merged = deps.profiles.preview(checked.data);
  if (!merged.ok) return invalid(INVALID_PROFILE, merged.issues);
  const httpModeIssues = deps.httpModeIssues?.(merged.profile, forDownload) ?? [];
  if (httpModeIssues.length > 0) return invalid(INVALID_PROFILE, httpModeIssues);
  return ok(checked.data);
}
