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
  type ServerMode,
  type ServerSlot,
  type SftpAuthMethod,
} from '@/lib/imageDownloadProfile';
import type { HostKeyType } from '@/lib/hostKeyType';
import { profileProblems } from '@/lib/profilePatch';
import { fieldControlOf, type FieldControl } from '@/components/ui/FormFields';
import { CCO_FIELD_PATHS, DESKTOP_FIELD_PATHS, EMPTY_CCO_FORM, EMPTY_DESKTOP_FORM, ccoFormFromProfile, type CcoFormValues, type DesktopFormValues } from './httpModeForm';

/** A server mode's Image Server, Image Path and Port; the port stays text so a typo can be shown and corrected, not swallowed. */
export interface ServerSlotFormValues {
  imageServer: string;
  imagePath: string;
  port: string;
}
export type ServerSlotField = keyof ServerSlotFormValues;

export interface SftpFormValues extends ServerSlotFormValues {
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

/** What the inputs hold: every mode's fields, of which the form shows the selected mode's. */
export interface ProfileFormValues {
  mode: ImageDownloadMode;
  parallelMode: boolean;
  /** TFTP and SFTP keep their own server, path and port: switching the mode shows the other mode's, untouched. */
  tftp: ServerSlotFormValues;
  sftp: SftpFormValues;
  cco: CcoFormValues;
  desktop: DesktopFormValues;
}

/** Issue messages keyed by their path (`imageServer`, `sftp.username`, …); the first issue of a path wins. */
export type FieldErrors = Readonly<Record<string, string>>;

/** In the order the form shows them, so the first error focused is the topmost one. */
export const FIELD_PATHS = [
  'mode',
  'tftp.imageServer',
  'tftp.imagePath',
  'tftp.port',
  'sftp.imageServer',
  'sftp.imagePath',
  'sftp.username',
  'sftp.authMethod',
  'sftp.passwordType',
  'sftp.password',
  'sftp.privateKey',
  'sftp.passphrase',
  'sftp.port',
  'parallelMode',
  'sftp.hostKeyFingerprint',
  ...CCO_FIELD_PATHS,
  ...DESKTOP_FIELD_PATHS,
] as const;
export type FieldPath = (typeof FIELD_PATHS)[number];

const PASSWORD_AUTH_PATHS: readonly FieldPath[] = ['sftp.passwordType', 'sftp.password'];
const KEY_AUTH_PATHS: readonly FieldPath[] = ['sftp.privateKey', 'sftp.passphrase'];

const SECRET_PATHS: readonly FieldPath[] = ['sftp.password', 'sftp.privateKey', 'sftp.passphrase', 'cco.password'];

const slotForm = (slot: ServerSlot): ServerSlotFormValues => ({ imageServer: slot.imageServer, imagePath: slot.imagePath, port: String(slot.port) });

export const EMPTY_PROFILE_FORM: ProfileFormValues = {
  mode: 'TFTP',
  parallelMode: false,
  tftp: { imageServer: '', imagePath: '', port: String(DEFAULT_PORT.TFTP) },
  sftp: {
    imageServer: '',
    imagePath: '',
    port: String(DEFAULT_PORT.SFTP),
    username: '',
    passwordType: 'UNENCRYPTED',
    authMethod: 'password',
    password: '',
    privateKey: '',
    passphrase: '',
    hostKeyFingerprint: '',
  },
  cco: EMPTY_CCO_FORM,
  desktop: EMPTY_DESKTOP_FORM,
};

/** The id of a field's control: `profile-tftp-imageServer`, `profile-sftp-username`, … */
export function fieldId(path: FieldPath): string {
  return `profile-${path.replace('.', '-')}`;
}

/** Everything a Field and its control need to point at each other and at the error. */
export function fieldControl(errors: FieldErrors, path: FieldPath): FieldControl {
  return fieldControlOf(fieldId(path), path, errors);
}

/** The paths the form has a control for with these values; other issues go to the banner. */
export function visibleFieldPaths(values: Pick<ProfileFormValues, 'mode' | 'sftp'>): FieldPath[] {
  const hidden = values.sftp.authMethod === 'key' ? PASSWORD_AUTH_PATHS : KEY_AUTH_PATHS;
  return FIELD_PATHS.filter((path) => {
    if (path.startsWith('tftp.')) return values.mode === 'TFTP';
    if (path.startsWith('sftp.')) return values.mode === 'SFTP' && !hidden.includes(path);
    if (path.startsWith('cco.')) return values.mode === 'CCO';
    if (path.startsWith('desktop.')) return values.mode === 'DESKTOP';
    return true;
  });
}

export function formValuesFromProfile(profile: ImageDownloadProfileView): ProfileFormValues {
  const { sftp } = profile;
  return {
    mode: profile.mode,
    parallelMode: profile.parallelMode,
    tftp: slotForm(profile.tftp),
    sftp: {
      ...slotForm(sftp),
      username: sftp.username,
      passwordType: sftp.passwordType,
      authMethod: sftp.authMethod,
      hostKeyFingerprint: sftp.hostKeyFingerprint ?? '',
      ...(sftp.hostKeyType ? { hostKeyType: sftp.hostKeyType } : {}),
      // Stored secrets never come back; an empty field means "keep it".
      password: '',
      privateKey: '',
      passphrase: '',
    },
    cco: ccoFormFromProfile(profile),
    desktop: { ...profile.desktop },
  };
}

/** The same values with every secret emptied: what the form shows once the server has them. */
export function withoutSecrets(values: ProfileFormValues): ProfileFormValues {
  return { ...values, sftp: { ...values.sftp, password: '', privateKey: '', passphrase: '' }, cco: { ...values.cco, password: '' } };
}

export function issuesToErrors(issues: readonly FieldIssue[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (!(issue.path in errors)) errors[issue.path] = issue.message;
  }
  return errors;
}

function portOrDefault(mode: ServerMode, port: string): string | number {
  return port.trim() === '' ? DEFAULT_PORT[mode] : port.trim();
}

/**
 * The fields a Save from the page names: the mode, Parallel Mode and the fields the form shows for
 * that mode, so a save never touches another mode's settings. A secret is named only when typed into
 * a field the user can see (empty keeps the stored one), so a password typed before switching to key
 * authentication is not stored behind their back.
 */
export function namedFields(values: ProfileFormValues): ImageDownloadProfileInput {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const path of visibleFieldPaths(values)) {
    const [group, field] = path.split('.') as [keyof ProfileFormValues, string | undefined];
    if (field === undefined) continue;
    let value = (values[group] as unknown as Record<string, unknown>)[field];
    // A pasted key of blank lines is no key either.
    if (SECRET_PATHS.includes(path) && !(field === 'privateKey' ? String(value).trim() : value)) continue;
    if (field === 'port' && (group === 'tftp' || group === 'sftp')) value = portOrDefault(group === 'tftp' ? 'TFTP' : 'SFTP', String(value));
    groups[group] = { ...groups[group], [field]: value };
  }
  // The type of a key trusted from the server's offer goes with its fingerprint.
  if (groups.sftp && 'hostKeyFingerprint' in groups.sftp && values.sftp.hostKeyType) groups.sftp.hostKeyType = values.sftp.hostKeyType;
  return { mode: values.mode, parallelMode: values.parallelMode, ...groups };
}

export type ParsedProfileForm = { ok: true; body: ImageDownloadProfileInput } | { ok: false; errors: FieldErrors };

/** What the controller stores already: a secret left empty keeps it. */
export interface StoredSecrets {
  hasPassword: boolean;
  hasPrivateKey: boolean;
}

/**
 * Validates with the API's own rules (the fields named, then what the profile needs in its mode)
 * and builds the request body the API expects.
 */
export function parseProfileForm(values: ProfileFormValues, stored: StoredSecrets): ParsedProfileForm {
  const named = namedFields(values);
  const result = imageDownloadProfileInputSchema.safeParse(named);
  if (!result.success) return { ok: false, errors: issuesToErrors(toFieldIssues(result.error)) };
  const { sftp } = values;
  const problems = profileProblems({
    ...values,
    sftp: { ...sftp, hasPassword: stored.hasPassword || named.sftp?.password !== undefined, hasPrivateKey: stored.hasPrivateKey || named.sftp?.privateKey !== undefined },
  });
  if (problems.length > 0) return { ok: false, errors: issuesToErrors(problems) };
  return { ok: true, body: result.data };
}

export type ParsedHostKeyRequest = { ok: true; body: { imageServer: string; port: number } } | { ok: false; errors: FieldErrors };

/** The SFTP server and port "Get host key" asks about, validated like the profile so the same fields show the errors. */
export function parseHostKeyRequest(values: ProfileFormValues): ParsedHostKeyRequest {
  const result = hostKeyRequestSchema.safeParse({ imageServer: values.sftp.imageServer, port: portOrDefault('SFTP', values.sftp.port) });
  if (!result.success) return { ok: false, errors: issuesToErrors(toFieldIssues(result.error).map((issue) => ({ ...issue, path: `sftp.${issue.path}` }))) };
  return { ok: true, body: result.data };
}

/** Drops the errors of a path and of everything under it, once the user edits that field. */
export function withoutErrors(errors: FieldErrors, path: string): FieldErrors {
  const kept = Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`));
  return kept.length === Object.keys(errors).length ? errors : Object.fromEntries(kept);
}
