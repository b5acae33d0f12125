/**
 * The parts of the image-download profile the audit trail describes. Structural, so the store's
 * StoredProfile fits as it is; the optional fields are compared only when the profile has them.
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
    authMethod?: string;
    privateKey?: string | null;
    passphrase?: string | null;
    hostKeyFingerprint?: string | null;
  };
  cco?: { catalogUrl: string; username: string; password: string | null; release: string; autoCheck: string; autoCheckTime: string; caCertificate: string; certificateFingerprint: string };
  desktop?: { uploadId: string; version: string };
}

type Shown = string | number | boolean | null | undefined;

function show(value: Shown): string {
  if (value === '' || value === null || value === undefined) return '""';
  return String(value);
}

/**
 * A one-line summary of what a save changed, e.g. `mode TFTP -> SFTP, imageServer 10.0.0.5 -> 10.0.0.6, password changed`.
 * Secrets are only ever reported as changed: their values must not reach a log an operator exports.
 */
export function describeProfileChanges(before: AuditedProfile, after: AuditedProfile): string {
  const fields: [string, Shown, Shown][] = [
    ['mode', before.mode, after.mode],
    ['imageServer', before.imageServer, after.imageServer],
    ['imagePath', before.imagePath, after.imagePath],
    ['port', before.port, after.port],
    ['parallelMode', before.parallelMode, after.parallelMode],
    ['sftp.username', before.sftp.username, after.sftp.username],
    ['sftp.passwordType', before.sftp.passwordType, after.sftp.passwordType],
    ['sftp.authMethod', before.sftp.authMethod, after.sftp.authMethod],
    // A fingerprint identifies a public key; it is what an auditor needs to see which server was trusted.
    ['sftp.hostKeyFingerprint', before.sftp.hostKeyFingerprint ?? null, after.sftp.hostKeyFingerprint ?? null],
    ['cco.catalogUrl', before.cco?.catalogUrl, after.cco?.catalogUrl],
    ['cco.username', before.cco?.username, after.cco?.username],
    ['cco.release', before.cco?.release, after.cco?.release],
    ['cco.autoCheck', before.cco?.autoCheck, after.cco?.autoCheck],
    ['cco.autoCheckTime', before.cco?.autoCheckTime, after.cco?.autoCheckTime],
    ['cco.certificateFingerprint', before.cco?.certificateFingerprint, after.cco?.certificateFingerprint],
    ['desktop.uploadId', before.desktop?.uploadId, after.desktop?.uploadId],
    ['desktop.version', before.desktop?.version, after.desktop?.version],
  ];
  const changes = fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${show(a)} -> ${show(b)}`);
  const secrets: [string, string | null | undefined, string | null | undefined][] = [
    ['password', before.sftp.password, after.sftp.password],
    ['private key', before.sftp.privateKey, after.sftp.privateKey],
    ['passphrase', before.sftp.passphrase, after.sftp.passphrase],
    ['CCO password or API key', before.cco?.password, after.cco?.password],
    ['CA certificate', before.cco?.caCertificate || null, after.cco?.caCertificate || null],
  ];
  for (const [name, a, b] of secrets) if ((a ?? null) !== (b ?? null)) changes.push(`${name} changed`);
  return changes.length > 0 ? changes.join(', ') : 'no changes';
}
