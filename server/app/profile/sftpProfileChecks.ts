import ssh2 from 'ssh2';
import type { FieldIssue, ImageDownloadProfile, ImageDownloadProfilePatch } from '../../../lib/imageDownloadProfile';
import { SecretBoxError, type SecretBox } from '../../secrets/secretBox';

// Node's ESM loader does not expose ssh2's CommonJS `utils` as a named export.
const { utils } = ssh2;

/**
 * The checks of the SFTP secrets a save names that zod cannot do alone: an AES password must be one
 * this console exported (it needs the console's secret key), a private key must parse (with its
 * passphrase). Returns the patch with an AES password opened, or the field issues. Whether the
 * profile has a password or key at all is a rule of the merged profile (`profileProblems`).
 */
export function checkSftpInput(
  patch: ImageDownloadProfilePatch,
  stored: ImageDownloadProfile,
  secrets: SecretBox,
): { ok: true; data: ImageDownloadProfilePatch } | { ok: false; issues: FieldIssue[] } {
  if (!patch.sftp) return { ok: true, data: patch };
  const issues: FieldIssue[] = [];
  const sftp = { ...patch.sftp };
  // A password named without its type is read as the type the profile keeps.
  if (sftp.password && (sftp.passwordType ?? stored.sftp.passwordType) === 'AES') {
    try {
      sftp.password = secrets.open(sftp.password.trim());
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      issues.push({ path: 'sftp.password', message: 'Not an AES password exported by this console: paste the sftp-password value of Export configuration' });
    }
  }
  if (sftp.privateKey) {
    const parsed = utils.parseKey(sftp.privateKey, sftp.passphrase || undefined);
    if (parsed instanceof Error) {
      const needsPassphrase = /passphrase|encrypted/i.test(parsed.message);
      issues.push(
        needsPassphrase
          ? { path: 'sftp.passphrase', message: 'The private key is encrypted: enter its passphrase (or the passphrase is wrong)' }
          : { path: 'sftp.privateKey', message: 'Not a private key: paste an OpenSSH or PEM private key (-----BEGIN … PRIVATE KEY-----)' },
      );
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: { ...patch, sftp } };
}
