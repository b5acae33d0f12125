import { isServerMode, SLOT_OF, type ImageDownloadMode } from '../imageDownloadProfile';
import { profileFieldValues } from '../profilePatch';
import { violation, type Violation } from './violation';

/*
 * The rule: a profile field changes only when a save names it. Whoever saves (the page, the CLI, an
 * API script, a schedule) names some fields; every other field keeps its value, except the few that
 * follow a field the save named, listed here. A refused save names nothing. One statement, used by the
 * property test of saves (server/http/profileInvariant.test.ts) and by the model-based test
 * (server/model/), on stored profiles and on views alike (`group.field` paths, as profileFieldValues
 * lists them).
 */

/** Fields whose value follows others: each may change when a field it follows is named. */
export const FIELD_FOLLOWS: Readonly<Record<string, readonly string[]>> = {
  // A new private key comes with its own passphrase (or none).
  'sftp.passphrase': ['sftp.privateKey'],
  // A host key is trusted for one server and port.
  'sftp.hostKeyFingerprint': ['sftp.imageServer', 'sftp.port'],
  'sftp.hostKeyType': ['sftp.imageServer', 'sftp.port', 'sftp.hostKeyFingerprint'],
  // A certificate trusted once is trusted for one catalog.
  'cco.certificateFingerprint': ['cco.catalogUrl'],
  // What a view shows in place of the fields themselves.
  imageServer: ['mode', 'tftp.imageServer', 'sftp.imageServer'],
  imagePath: ['mode', 'tftp.imagePath', 'sftp.imagePath'],
  port: ['mode', 'tftp.port', 'sftp.port'],
  'sftp.hasPassword': ['sftp.password'],
  'sftp.hasPrivateKey': ['sftp.privateKey'],
  'cco.hasPassword': ['cco.password'],
};

/**
 * Fields a save leaves as stored when it sends them empty (the input schema's documented meaning): the
 * secrets, and the trust pinned for a server or a catalog. Sent empty, they name nothing.
 */
const KEPT_WHEN_EMPTY: ReadonlySet<string> = new Set([
  'sftp.password',
  'sftp.privateKey',
  'sftp.passphrase',
  'cco.password',
  'sftp.hostKeyFingerprint',
  'sftp.hostKeyType',
  'cco.certificateFingerprint',
]);

const TOP_LEVEL_SERVER_FIELDS = new Set(['imageServer', 'imagePath', 'port']);

/**
 * The fields a save names: every field its body carries with a value (null names nothing), except a field
 * kept when empty that is sent empty. The top-level `imageServer`, `imagePath` and `port` (the API's names
 * from before each mode kept its own) name the slot of the mode the save leaves the profile in (the body's,
 * else `storedMode`), and nothing in CCO and Desktop modes, which have no image server.
 */
export function namedFieldPaths(body: object, storedMode: ImageDownloadMode): Set<string> {
  const named = new Set<string>();
  const mode = (body as { mode?: unknown }).mode;
  const savedMode = typeof mode === 'string' ? mode : storedMode;
  for (const [path, value] of profileFieldValues(body)) {
    if (value === undefined || value === null) continue;
    if (KEPT_WHEN_EMPTY.has(path) && value === '') continue;
    if (!TOP_LEVEL_SERVER_FIELDS.has(path)) named.add(path);
    else if (isServerMode(savedMode)) named.add(`${SLOT_OF[savedMode]}.${path}`);
  }
  return named;
}

/**
 * The fields that differ between `before` and `after` (two profiles, or two views) although the saves
 * between them named neither them nor a field they follow. Empty when the rule holds.
 */
export function fieldsChangedUnnamed(before: object, after: object, named: ReadonlySet<string>): string[] {
  const was = profileFieldValues(before);
  const now = profileFieldValues(after);
  const paths = new Set([...was.keys(), ...now.keys()]);
  const mayChange = (path: string) => named.has(path) || (FIELD_FOLLOWS[path] ?? []).some((leader) => named.has(leader));
  return [...paths].filter((path) => !Object.is(was.get(path), now.get(path)) && !mayChange(path));
}

/** The rule as a violation per field: `before` and `after` are two reads of the profile (GET /api/image-download-profile). */
export function profileFieldsNamed(before: object, after: object, named: ReadonlySet<string>, surface = 'the profile'): Violation[] {
  const was = profileFieldValues(before);
  const now = profileFieldValues(after);
  return fieldsChangedUnnamed(before, after, named).map((path) =>
    violation('profileFieldsNamed', `${surface}: ${path} changed from ${JSON.stringify(was.get(path))} to ${JSON.stringify(now.get(path))}, but no save named it`),
  );
}
