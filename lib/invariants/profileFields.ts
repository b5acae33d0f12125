import { violation, type Violation } from './violation';

/** The profile as `field path → value` (JSON text), each image server field under the mode it belongs to: `tftp.imageServer`, `sftp.port`. */
export type ProfileFields = Readonly<Record<string, string>>;

// The view says only whether a secret is stored; a save names the secret itself.
const PRESENCE: Readonly<Record<string, string>> = { 'sftp.hasPassword': 'sftp.password', 'sftp.hasPrivateKey': 'sftp.privateKey', 'cco.hasPassword': 'cco.password' };
const SECRETS = new Set(['sftp.password', 'sftp.privateKey', 'sftp.passphrase', 'cco.password']);
const SERVER_FIELDS = ['imageServer', 'imagePath', 'port'] as const;
const SERVER_MODES: Readonly<Record<string, string>> = { TFTP: 'tftp', SFTP: 'sftp' };

/**
 * A field that follows another one on purpose: a trusted host key belongs to one server and port, a
 * trusted certificate to one catalog URL, a passphrase to its private key.
 */
const FOLLOWS: Readonly<Record<string, readonly string[]>> = {
  'sftp.hostKeyFingerprint': ['sftp.imageServer', 'sftp.port'],
  'sftp.hostKeyType': ['sftp.hostKeyFingerprint', 'sftp.imageServer', 'sftp.port'],
  'cco.certificateFingerprint': ['cco.catalogUrl'],
  'sftp.passphrase': ['sftp.privateKey'],
};

function leaves(value: unknown, prefix: string, into: Record<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (value !== undefined) {
    into[prefix] = JSON.stringify(value);
  }
}

/** Where the top-level server, path and port of a profile in this mode belong; none in CCO and Desktop modes, which keep an earlier mode's. */
function serverModeOf(profile: Record<string, unknown>): string | null {
  return typeof profile.mode === 'string' ? (SERVER_MODES[profile.mode] ?? null) : null;
}

/** The fields a profile view (GET /api/image-download-profile) shows. */
export function profileFields(view: unknown): ProfileFields {
  const fields: Record<string, string> = {};
  if (view === null || typeof view !== 'object') return fields;
  const profile = view as Record<string, unknown>;
  const rest = Object.fromEntries(Object.entries(profile).filter(([key]) => !(SERVER_FIELDS as readonly string[]).includes(key)));
  leaves(rest, '', fields);
  for (const [shown, secret] of Object.entries(PRESENCE)) {
    if (shown in fields) {
      fields[secret] = fields[shown];
      delete fields[shown];
    }
  }
  const mode = serverModeOf(profile);
  if (mode) for (const key of SERVER_FIELDS) if (profile[key] !== undefined) fields[`${mode}.${key}`] = JSON.stringify(profile[key]);
  return fields;
}

/**
 * The fields a save body (the page's form, the API's PUT or download body) names: every field it carries,
 * a secret only when one is typed (empty keeps the stored one). In CCO and Desktop modes the server fields
 * the form kept may be either mode's, so they name both.
 */
export function fieldsNamedBy(body: unknown): Set<string> {
  const named = new Set<string>();
  if (body === null || typeof body !== 'object') return named;
  const profile = body as Record<string, unknown>;
  const carried: Record<string, string> = {};
  leaves(Object.fromEntries(Object.entries(profile).filter(([key]) => !(SERVER_FIELDS as readonly string[]).includes(key))), '', carried);
  for (const [field, value] of Object.entries(carried)) {
    if (!SECRETS.has(field) || (value !== '""' && value !== 'null')) named.add(field);
  }
  const modes = serverModeOf(profile) ? [serverModeOf(profile)!] : Object.values(SERVER_MODES);
  for (const key of SERVER_FIELDS) if (profile[key] !== undefined) for (const mode of modes) named.add(`${mode}.${key}`);
  return named;
}

/**
 * Between two reads of the profile, a field changed only if a save in between named it (or a field it
 * follows). `known` is the last value seen of each field, also of fields the current mode does not show.
 */
export function profileFieldsNamed(known: ProfileFields, observed: ProfileFields, named: ReadonlySet<string>, surface = 'the profile'): Violation[] {
  const found: Violation[] = [];
  for (const [field, value] of Object.entries(observed)) {
    if (!(field in known) || known[field] === value) continue;
    if (named.has(field) || (FOLLOWS[field] ?? []).some((leader) => named.has(leader))) continue;
    found.push(violation('profileFieldsNamed', `${surface}: ${field} changed from ${known[field]} to ${value}, but no save named it`));
  }
  return found;
}
