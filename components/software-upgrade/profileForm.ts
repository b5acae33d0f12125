import {
  DEFAULT_PORT,
  hostKeyRequestSchema,
  imageDownloadProfileInputSchema,
  toFieldIssues,
  type FieldIssue,
  type ImageDownloadMode,
  type ImageDownloadProfileInput,
  type ImageDownloadProfileView,
  type PasswordType,
  type SftpAuthMethod,
} from '@/lib/imageDownloadProfile';
import type { HostKeyType } from '@/lib/hostKeyType';
import { fieldErrorId } from '@/components/ui/Field';
import { isHttpMode } from '@/lib/httpModeSettings';
import { CCO_FIELD_PATHS, DESKTOP_FIELD_PATHS, EMPTY_CCO_FORM, EMPTY_DESKTOP_FORM, ccoFormFromProfile, type CcoFormValues, type DesktopFormValues } from './httpModeForm';

export interface SftpFormValues {
  username: string;
  passwordType: PasswordType;
  authMethod: SftpAuthMethod;
  /** The three secrets: typed only, never filled from the server; empty means "keep the stored one". */
  password: string;
  privateKey: string;
  passphrase: string;
  hostKeyFingerprint: string;
  /** Not shown: the type of a key trusted from the server's offer, '' once a fingerprint is typed. */
  hostKeyType?: '' | HostKeyType;
}

/** What the inputs hold: the port stays text so a typo can be shown and corrected, not swallowed. */
export interface ProfileFormValues {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: string;
  parallelMode: boolean;
  sftp: SftpFormValues;
  cco: CcoFormValues;
  desktop: DesktopFormValues;
}

/** Issue messages keyed by their path (`imageServer`, `sftp.username`, …); the first issue of a path wins. */
export type FieldErrors = Readonly<Record<string, string>>;

/** In the order the form shows them, so the first error focused is the topmost one. */
export const FIELD_PATHS = [
  'mode',
  'imageServer',
  'imagePath',
  'port',
  'parallelMode',
  'sftp.username',
  'sftp.authMethod',
  'sftp.passwordType',
  'sftp.password',
  'sftp.privateKey',
  'sftp.passphrase',
  'sftp.hostKeyFingerprint',
  ...CCO_FIELD_PATHS,
  ...DESKTOP_FIELD_PATHS,
] as const;
export type FieldPath = (typeof FIELD_PATHS)[number];

const PASSWORD_AUTH_PATHS: readonly FieldPath[] = ['sftp.passwordType', 'sftp.password'];
const KEY_AUTH_PATHS: readonly FieldPath[] = ['sftp.privateKey', 'sftp.passphrase'];

export const EMPTY_PROFILE_FORM: ProfileFormValues = {
  mode: 'TFTP',
  imageServer: '',
  imagePath: '',
  port: String(DEFAULT_PORT.TFTP),
  parallelMode: false,
  sftp: { username: '', passwordType: 'UNENCRYPTED', authMethod: 'password', password: '', privateKey: '', passphrase: '', hostKeyFingerprint: '' },
  cco: EMPTY_CCO_FORM,
  desktop: EMPTY_DESKTOP_FORM,
};

export function fieldId(path: FieldPath): string {
  return `profile-${path.replace('.', '-')}`;
}

/** Everything a Field and its control need to point at each other and at the error. */
export function fieldControl(errors: FieldErrors, path: FieldPath) {
  const id = fieldId(path);
  return { id, path, error: errors[path], invalid: path in errors, errorId: fieldErrorId(id) };
}

/** The paths the form has a control for with these values; other issues go to the banner. */
export function visibleFieldPaths(values: Pick<ProfileFormValues, 'mode' | 'sftp'>): FieldPath[] {
  const hidden = values.sftp.authMethod === 'key' ? PASSWORD_AUTH_PATHS : KEY_AUTH_PATHS;
  return FIELD_PATHS.filter((path) => {
    if (path.startsWith('sftp.')) return values.mode === 'SFTP' && !hidden.includes(path);
    if (path.startsWith('cco.')) return values.mode === 'CCO';
    if (path.startsWith('desktop.')) return values.mode === 'DESKTOP';
    // The image server fields mean nothing when the images come from a catalog or the browser.
    if (path === 'imageServer' || path === 'imagePath' || path === 'port') return !isHttpMode(values.mode);
    return true;
  });
}

export function formValuesFromProfile(profile: ImageDownloadProfileView): ProfileFormValues {
  const { sftp } = profile;
  return {
    mode: profile.mode,
    imageServer: profile.imageServer,
    imagePath: profile.imagePath,
    port: String(profile.port),
    parallelMode: profile.parallelMode,
    sftp: {
      username: sftp.username,
      passwordType: sftp.passwordType,
      // A controller still on the previous schema sends neither; the inputs must stay controlled.
      authMethod: sftp.authMethod ?? 'password',
      hostKeyFingerprint: sftp.hostKeyFingerprint ?? '',
      ...(sftp.hostKeyType ? { hostKeyType: sftp.hostKeyType } : {}),
      // Stored secrets never come back; an empty field means "keep it".
      password: '',
      privateKey: '',
      passphrase: '',
    },
    cco: ccoFormFromProfile(profile),
    desktop: profile.desktop ?? EMPTY_DESKTOP_FORM,
  };
}

/** The same values with every secret emptied: what the form shows once the server has them. */
export function withoutSecrets(values: ProfileFormValues): ProfileFormValues {
  return { ...values, sftp: { ...values.sftp, password: '', privateKey: '', passphrase: '' }, cco: { ...values.cco, password: '' } };
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

function portOrDefault(values: ProfileFormValues): string | number {
  return values.port.trim() === '' ? DEFAULT_PORT[values.mode] : values.port.trim();
}

/**
 * The secrets to send: only those typed into a field the user can see, so a
 * password typed before switching to key authentication is not stored behind
 * their back. Absent means "keep the stored one" to the API.
 */
function typedSecrets(values: ProfileFormValues): Partial<Pick<SftpFormValues, 'password' | 'privateKey' | 'passphrase'>> {
  const { mode, sftp } = values;
  if (mode !== 'SFTP') return {};
  if (sftp.authMethod === 'password') return sftp.password ? { password: sftp.password } : {};
  return {
    ...(sftp.privateKey.trim() ? { privateKey: sftp.privateKey } : {}),
    ...(sftp.passphrase ? { passphrase: sftp.passphrase } : {}),
  };
}

export type ParsedProfileForm = { ok: true; body: ImageDownloadProfileInput } | { ok: false; errors: FieldErrors };

/** Validates with the API's own schema and builds the request body the API expects. */
export function parseProfileForm(values: ProfileFormValues): ParsedProfileForm {
  const { password: _password, privateKey: _privateKey, passphrase: _passphrase, ...settings } = values.sftp;
  const { password: ccoPassword, ...ccoSettings } = values.cco;
  const result = imageDownloadProfileInputSchema.safeParse({
    ...values,
    port: portOrDefault(values),
    sftp: { ...settings, ...typedSecrets(values) },
    // Like the SFTP secrets: sent only when typed in CCO mode; absent keeps the stored one.
    cco: { ...ccoSettings, ...(values.mode === 'CCO' && ccoPassword ? { password: ccoPassword } : {}) },
  });
  if (!result.success) return { ok: false, errors: issuesToErrors(toFieldIssues(result.error)) };
  return { ok: true, body: result.data };
}

export type ParsedHostKeyRequest = { ok: true; body: { imageServer: string; port: number } } | { ok: false; errors: FieldErrors };

/** The server and port "Get host key" asks about, validated like the profile so the same fields show the errors. */
export function parseHostKeyRequest(values: ProfileFormValues): ParsedHostKeyRequest {
  const result = hostKeyRequestSchema.safeParse({ imageServer: values.imageServer, port: portOrDefault(values) });
  if (!result.success) return { ok: false, errors: issuesToErrors(toFieldIssues(result.error)) };
  return { ok: true, body: result.data };
}

/** Drops the errors of a path and of everything under it, once the user edits that field. */
export function withoutErrors(errors: FieldErrors, path: string): FieldErrors {
  const kept = Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`));
  return kept.length === Object.keys(errors).length ? errors : Object.fromEntries(kept);
}
