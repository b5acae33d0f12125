import {
  DEFAULT_PORT,
  imageDownloadProfileInputSchema,
  toFieldIssues,
  type FieldIssue,
  type ImageDownloadMode,
  type ImageDownloadProfileInput,
  type ImageDownloadProfileView,
  type PasswordType,
} from '@/lib/imageDownloadProfile';

/** What the inputs hold: the port stays text so a typo can be shown and corrected, not swallowed. */
export interface ProfileFormValues {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: string;
  parallelMode: boolean;
  sftp: { username: string; passwordType: PasswordType; password: string };
}

/** Issue messages keyed by their path (`imageServer`, `sftp.username`, …); the first issue of a path wins. */
export type FieldErrors = Readonly<Record<string, string>>;

export const FIELD_PATHS = ['mode', 'imageServer', 'imagePath', 'port', 'parallelMode', 'sftp.username', 'sftp.passwordType', 'sftp.password'] as const;
export type FieldPath = (typeof FIELD_PATHS)[number];

export const EMPTY_PROFILE_FORM: ProfileFormValues = {
  mode: 'TFTP',
  imageServer: '',
  imagePath: '',
  port: String(DEFAULT_PORT.TFTP),
  parallelMode: false,
  sftp: { username: '', passwordType: 'UNENCRYPTED', password: '' },
};

export function fieldId(path: FieldPath): string {
  return `profile-${path.replace('.', '-')}`;
}

/** The paths the form has a control for in this mode; other issues go to the banner. */
export function visibleFieldPaths(mode: ImageDownloadMode): FieldPath[] {
  return FIELD_PATHS.filter((path) => mode === 'SFTP' || !path.startsWith('sftp.'));
}

export function formValuesFromProfile(profile: ImageDownloadProfileView): ProfileFormValues {
  return {
    mode: profile.mode,
    imageServer: profile.imageServer,
    imagePath: profile.imagePath,
    port: String(profile.port),
    parallelMode: profile.parallelMode,
    // The stored password never comes back; an empty field means "keep it".
    sftp: { username: profile.sftp.username, passwordType: profile.sftp.passwordType, password: '' },
  };
}

/** Switching mode moves the port to the new default only if the user had not chosen one. */
export function portAfterModeChange(port: string, from: ImageDownloadMode, to: ImageDownloadMode): string {
  return port.trim() === String(DEFAULT_PORT[from]) ? String(DEFAULT_PORT[to]) : port;
}

export function issuesToErrors(issues: readonly FieldIssue[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (!(issue.path in errors)) errors[issue.path] = issue.message;
  }
  return errors;
}

export type ParsedProfileForm = { ok: true; body: ImageDownloadProfileInput } | { ok: false; errors: FieldErrors };

/** Validates with the API's own schema and builds the request body the API expects. */
export function parseProfileForm(values: ProfileFormValues): ParsedProfileForm {
  const port = values.port.trim() === '' ? DEFAULT_PORT[values.mode] : values.port.trim();
  const result = imageDownloadProfileInputSchema.safeParse({ ...values, port });
  if (!result.success) return { ok: false, errors: issuesToErrors(toFieldIssues(result.error)) };
  const { sftp, ...rest } = result.data;
  const { password, ...credentials } = sftp;
  // No password typed means "keep the stored one", which the API reads from its absence.
  return { ok: true, body: { ...rest, sftp: password ? { ...credentials, password } : credentials } };
}

/** Drops the errors of a path and of everything under it, once the user edits that field. */
export function withoutErrors(errors: FieldErrors, path: string): FieldErrors {
  const kept = Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`));
  return kept.length === Object.keys(errors).length ? errors : Object.fromEntries(kept);
}
