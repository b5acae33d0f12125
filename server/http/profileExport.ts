import { hasUnsafeText } from '../../lib/validations/safeText';
import type { StoredProfile } from '../store/profileRepository';

/**
 * One configuration argument as IOS-XE reads it: plain when it is one word, in double quotes when it
 * holds spaces. A value that no quoting makes safe (a line break would start a command of its own,
 * like `username bd privilege 15 …`; a quote would end the argument early) is not printed: the line
 * becomes a comment saying so. Input validation refuses such values; this guards profiles saved before it did.
 */
function configLine(keyword: string, value: string): string {
  if (hasUnsafeText(value) || value.includes('"')) return ` ! ${keyword} not exported: its value holds control, line-break or quote characters; save the profile again`;
  return / /.test(value) ? ` ${keyword} "${value}"` : ` ${keyword} ${value}`;
}

/**
 * The profile as EWC configuration lines. The SFTP password appears only in the
 * encrypted form this console can read back (Password Type AES), never in clear.
 */
export function exportProfileConfig(profile: StoredProfile, sealedPassword: string | null): string {
  const mode = profile.mode.toLowerCase();
  const lines = ['wireless profile image-download default', ` image-download-mode ${mode}`];
  lines.push(configLine(`${mode}-image-server`, profile.imageServer), configLine(`${mode}-image-path`, profile.imagePath), ` ${mode}-image-port ${profile.port}`);
  if (profile.mode === 'SFTP' || profile.sftp.username) {
    lines.push(configLine('sftp-username', profile.sftp.username));
    if (sealedPassword) lines.push(configLine('sftp-password aes', sealedPassword));
    if (profile.sftp.hostKeyFingerprint) lines.push(configLine('sftp-host-key', profile.sftp.hostKeyFingerprint));
    if (profile.sftp.authMethod === 'key') lines.push(' ! private key authentication: the key is not exported');
  }
  lines.push(` parallel-mode ${profile.parallelMode ? 'enable' : 'disable'}`);
  return `${lines.join('\n')}\n`;
}
