import ssh2 from 'ssh2';
import type { FieldIssue, ImageDownloadProfileData } from '../../lib/imageDownloadProfile';
import { SecretBoxError, type SecretBox } from '../secrets/secretBox';
import type { StoredProfile } from '../store/profileRepository';

// Node's ESM loader does not expose ssh2's CommonJS `utils` as a named export.
const { utils } = ssh2;

/**
 * The SFTP checks zod cannot do alone: they need the stored profile (a secret may be kept)
 * or the console's secret key (an AES password must be one this console exported).
 * Returns the input with an AES password opened, or the field issues.
 */
export function checkSftpInput(
  data: ImageDownloadProfileData,
  stored: StoredProfile,
  secrets: SecretBox,
): { ok: true; data: ImageDownloadProfileData } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const sftp = { ...data.sftp };
  if (sftp.password && sftp.passwordType === 'AES') {
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
  if (data.mode === 'SFTP') {
    if (sftp.authMethod === 'password' && !sftp.password && !stored.sftp.password && !issues.length) {
      issues.push({ path: 'sftp.password', message: 'Password is required in SFTP mode' });
    }
    if (sftp.authMethod === 'key' && !sftp.privateKey && !stored.sftp.privateKey) {
      issues.push({ path: 'sftp.privateKey', message: 'Private Key is required for key authentication' });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data: { ...data, sftp } };
}
