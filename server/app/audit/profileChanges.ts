import type { ImageDownloadProfile } from '../../../lib/imageDownloadProfile';
import { profileFieldValues } from '../../../lib/profilePatch';

/**
 * How the audit trail names a field whose value it must not print: secrets, and the CA certificate
 * (a page of PEM). Every other field of the profile is printed with its two values.
 */
const SAID_CHANGED: Readonly<Record<string, string>> = {
  'sftp.password': 'password',
  'sftp.privateKey': 'private key',
  'sftp.passphrase': 'passphrase',
  'cco.password': 'CCO password or API key',
  'cco.caCertificate': 'CA certificate',
};

function show(value: unknown): string {
  if (value === '' || value === null || value === undefined) return '""';
  return String(value);
}

/**
 * A one-line summary of what a save changed, e.g. `mode TFTP -> SFTP, sftp.imageServer 10.0.0.5 -> 10.0.0.6, password changed`,
 * over every field of the profile's shape. Secrets are only ever reported as changed: their values must not reach a log an operator exports.
 */
export function describeProfileChanges(before: ImageDownloadProfile, after: ImageDownloadProfile): string {
  const was = profileFieldValues(before);
  const changed = [...profileFieldValues(after)].filter(([path, value]) => (was.get(path) ?? null) !== (value ?? null));
  const shown = changed.filter(([path]) => !(path in SAID_CHANGED)).map(([path, value]) => `${path} ${show(was.get(path))} -> ${show(value)}`);
  const secrets = changed.filter(([path]) => path in SAID_CHANGED).map(([path]) => `${SAID_CHANGED[path]} changed`);
  const changes = [...shown, ...secrets];
  return changes.length > 0 ? changes.join(', ') : 'no changes';
}
