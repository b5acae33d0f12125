import { isServerMode, SLOT_OF, type FieldIssue, type ImageDownloadMode, type ImageDownloadProfile, type ImageDownloadProfilePatch, type SftpAuthMethod, toProfileView } from './imageDownloadProfile';

/** A patch whose top-level server fields were moved into the slot of the mode they belong to. */
export type NormalizedProfilePatch = Omit<ImageDownloadProfilePatch, 'imageServer' | 'imagePath' | 'port'>;

type Result<T> = { ok: true } & T;
type Refused = { ok: false; issues: FieldIssue[] };

const definedOnly = <T extends object>(record: T | undefined): Partial<T> => Object.fromEntries(Object.entries(record ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Moves `imageServer`, `imagePath` and `port` (the API's names from before each mode kept its own) into
 * the slot of the mode the saved profile will have: the patch's mode, else the stored one. In CCO and
 * Desktop modes they have no slot and name nothing. Named twice with two values, the save is refused
 * rather than one of them silently winning.
 */
export function normalizeProfilePatch(patch: ImageDownloadProfilePatch, currentMode: ImageDownloadMode): Result<{ patch: NormalizedProfilePatch }> | Refused {
  const { imageServer, imagePath, port, ...rest } = patch;
  const topLevel = definedOnly({ imageServer, imagePath, port });
  const mode = patch.mode ?? currentMode;
  if (Object.keys(topLevel).length === 0 || !isServerMode(mode)) return { ok: true, patch: rest };
  const key = SLOT_OF[mode];
  const slot: Record<string, unknown> = { ...rest[key] };
  const issues: FieldIssue[] = [];
  for (const [field, value] of Object.entries(topLevel)) {
    if (slot[field] !== undefined && slot[field] !== value) {
      issues.push({ path: field, message: `${field} ${value} and ${key}.${field} ${String(slot[field])} differ: send one of them` });
    }
    slot[field] = value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, patch: { ...rest, [key]: slot } };
}

/** A host key belongs to one server and port: pointing the SFTP slot elsewhere asks for trust again. */
export function hostKeyOwner(server: string, port: number): string {
  return `${server.toLowerCase()}:${port}`;
}

const keep = (typed: string | undefined, stored: string | null) => (typed ? typed : stored);

/**
 * The profile a save stores: every field the patch names takes its value, every other field keeps its
 * own. Four fields follow another one (see `lib/invariants/profileFields.ts`): an empty or missing
 * secret keeps the stored one; a new private key comes with its own passphrase (or none); the trusted
 * host key stays only while the SFTP server and port do; the certificate trusted once stays only while
 * the catalog URL does.
 */
export function applyProfilePatch(current: ImageDownloadProfile, patch: NormalizedProfilePatch): ImageDownloadProfile {
  const { password, privateKey, passphrase, hostKeyFingerprint, hostKeyType, ...sftpFields } = definedOnly(patch.sftp);
  const sftp = { ...current.sftp, ...sftpFields };
  const sameServer = hostKeyOwner(sftp.imageServer, sftp.port) === hostKeyOwner(current.sftp.imageServer, current.sftp.port);
  const fingerprint = hostKeyFingerprint || (sameServer ? current.sftp.hostKeyFingerprint : null);
  // A type comes with the key the server offered; the same fingerprint named again keeps the one learned before.
  const keptType = sameServer && fingerprint === current.sftp.hostKeyFingerprint ? current.sftp.hostKeyType : null;

  const { password: ccoPassword, certificateFingerprint, ...ccoFields } = definedOnly(patch.cco);
  const cco = { ...current.cco, ...ccoFields };
  const sameCatalog = cco.catalogUrl === current.cco.catalogUrl;

  return {
    mode: patch.mode ?? current.mode,
    parallelMode: patch.parallelMode ?? current.parallelMode,
    tftp: { ...current.tftp, ...definedOnly(patch.tftp) },
    sftp: {
      ...sftp,
      password: keep(password, current.sftp.password),
      privateKey: keep(privateKey, current.sftp.privateKey),
      passphrase: privateKey ? passphrase || null : keep(passphrase, current.sftp.passphrase),
      hostKeyFingerprint: fingerprint,
      hostKeyType: fingerprint ? hostKeyType || keptType || null : null,
    },
    cco: {
      ...cco,
      password: keep(ccoPassword, current.cco.password),
      certificateFingerprint: certificateFingerprint || (sameCatalog ? current.cco.certificateFingerprint : ''),
    },
    desktop: { ...current.desktop, ...definedOnly(patch.desktop) },
  };
}

/** What `profileProblems` reads: a profile's view, or the page's form with what the controller stores. */
export interface ProfileRequirements {
  mode: ImageDownloadMode;
  tftp: { imageServer: string; imagePath: string };
  sftp: { imageServer: string; imagePath: string; username: string; authMethod: SftpAuthMethod; hasPassword: boolean; hasPrivateKey: boolean };
  cco: { catalogUrl: string; username: string };
  desktop: { uploadId: string; version: string };
}

/** What the profile in force must hold for its mode: the fields a download in that mode cannot do without. */
export function profileProblems(profile: ProfileRequirements): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const need = (value: string | boolean, path: string, message: string) => {
    if (!value) issues.push({ path, message });
  };
  const { tftp, sftp, cco, desktop } = profile;
  switch (profile.mode) {
    case 'TFTP':
      need(tftp.imageServer, 'tftp.imageServer', 'Image Server is required in TFTP mode');
      need(tftp.imagePath, 'tftp.imagePath', 'Image Path is required in TFTP mode');
      break;
    case 'SFTP':
      need(sftp.imageServer, 'sftp.imageServer', 'Image Server is required in SFTP mode');
      need(sftp.imagePath, 'sftp.imagePath', 'Image Path is required in SFTP mode');
      need(sftp.username, 'sftp.username', 'User Name is required in SFTP mode');
      if (sftp.authMethod === 'password') need(sftp.hasPassword, 'sftp.password', 'Password is required in SFTP mode');
      else need(sftp.hasPrivateKey, 'sftp.privateKey', 'Private Key is required for key authentication');
      break;
    case 'CCO':
      need(cco.catalogUrl, 'cco.catalogUrl', 'Catalog URL is required in CCO mode');
      need(cco.username, 'cco.username', 'User Name is required in CCO mode');
      break;
    case 'DESKTOP':
      need(desktop.uploadId, 'desktop.uploadId', 'Upload the image file first');
      need(desktop.version, 'desktop.version', 'Image Version is required in Desktop mode');
      break;
  }
  return issues;
}

/**
 * A save as the console applies it: the patch normalized, merged on the current profile, and the merged
 * profile checked for its mode. Refused, nothing of it is stored.
 */
export function resolveProfilePatch(current: ImageDownloadProfile, patch: ImageDownloadProfilePatch): Result<{ profile: ImageDownloadProfile; patch: NormalizedProfilePatch }> | Refused {
  const normalized = normalizeProfilePatch(patch, current.mode);
  if (!normalized.ok) return normalized;
  const profile = applyProfilePatch(current, normalized.patch);
  const issues = profileProblems(toProfileView(profile));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, profile, patch: normalized.patch };
}

/** The leaves of a profile, its view or a patch, by `group.field` path (`mode`, `tftp.port`, `sftp.hasPassword`, …), in the shape's order. */
export function profileFieldValues(profile: object): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(profile)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [field, inner] of Object.entries(value)) values.set(`${key}.${field}`, inner);
    } else {
      values.set(key, value);
    }
  }
  return values;
}
