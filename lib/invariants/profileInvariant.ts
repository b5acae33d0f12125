import { profileFieldValues, type NormalizedProfilePatch } from '../profilePatch';

/*
 * The rule: a profile field changes only when a save names it. Whoever saves (the page, the CLI, an
 * API script, a schedule) names some fields; every other field keeps its value, except the few that
 * follow a field the save named, listed here. A refused save names nothing.
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

/** The fields a save names: those of its (normalized) patch with a value. */
export function namedFieldPaths(patch: NormalizedProfilePatch): Set<string> {
  return new Set([...profileFieldValues(patch)].filter(([, value]) => value !== undefined).map(([path]) => path));
}

/**
 * The fields that differ between `before` and `after` (two profiles, or two views) although the save
 * between them named neither them nor a field they follow. Empty when the rule holds.
 */
export function fieldsChangedUnnamed(before: object, after: object, named: ReadonlySet<string>): string[] {
  const was = profileFieldValues(before);
  const now = profileFieldValues(after);
  const paths = new Set([...was.keys(), ...now.keys()]);
  const mayChange = (path: string) => named.has(path) || (FIELD_FOLLOWS[path] ?? []).some((leader) => named.has(leader));
  return [...paths].filter((path) => !Object.is(was.get(path), now.get(path)) && !mayChange(path));
}
