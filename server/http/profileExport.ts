import type { StoredProfile } from '../store/profileRepository';

/**
 * The profile as EWC configuration lines. The SFTP password appears only in the
 * encrypted form this console can read back (Password Type AES), never in clear.
 */
export function exportProfileConfig(profile: StoredProfile, sealedPassword: string | null): string {
  const mode = profile.mode.toLowerCase();
  const lines = ['wireless profile image-download default', ` image-download-mode ${mode}`];
  lines.push(` ${mode}-image-server ${profile.imageServer}`, ` ${mode}-image-path ${profile.imagePath}`, ` ${mode}-image-port ${profile.port}`);
  if (profile.mode === 'SFTP' || profile.sftp.username) {
    lines.push(` sftp-username ${profile.sftp.username}`);
    if (sealedPassword) lines.push(` sftp-password aes ${sealedPassword}`);
    if (profile.sftp.hostKeyFingerprint) lines.push(` sftp-host-key ${profile.sftp.hostKeyFingerprint}`);
    if (profile.sftp.authMethod === 'key') lines.push(' ! private key authentication: the key is not exported');
  }
  lines.push(` parallel-mode ${profile.parallelMode ? 'enable' : 'disable'}`);
  return `${lines.join('\n')}\n`;
}
