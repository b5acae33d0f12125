/**
 * The parts of the image-download profile the audit trail describes. Structural, so the store's
 * StoredProfile fits as it is and a private key field can be added to it without touching this file.
 */
export interface AuditedProfile {
  mode: string;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: {
    username: string;
    passwordType: string;
    password: string | null;
    privateKey?: string | null;
  };
}

function show(value: string | number | boolean): string {
  if (value === '') return '""';
  return String(value);
}

/**
 * A one-line summary of what a save changed, e.g. `mode TFTP -> SFTP, imageServer 10.0.0.5 -> 10.0.0.6, password changed`.
 * Secrets are only ever reported as changed: their values must not reach a log an operator exports.
 */
export function describeProfileChanges(before: AuditedProfile, after: AuditedProfile): string {
  const fields: [string, string | number | boolean, string | number | boolean][] = [
    ['mode', before.mode, after.mode],
    ['imageServer', before.imageServer, after.imageServer],
    ['imagePath', before.imagePath, after.imagePath],
    ['port', before.port, after.port],
    ['parallelMode', before.parallelMode, after.parallelMode],
    ['sftp.username', before.sftp.username, after.sftp.username],
    ['sftp.passwordType', before.sftp.passwordType, after.sftp.passwordType],
  ];
  const changes = fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${show(a)} -> ${show(b)}`);
  if ((before.sftp.password ?? null) !== (after.sftp.password ?? null)) changes.push('password changed');
  if ((before.sftp.privateKey ?? null) !== (after.sftp.privateKey ?? null)) changes.push('private key changed');
  return changes.length > 0 ? changes.join(', ') : 'no changes';
}
