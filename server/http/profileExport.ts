import { hasUnsafeText } from '../../lib/validations/safeText';
import { DEFAULT_PORT, type ServerMode, type ServerSlot } from '../../lib/imageDownloadProfile';
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

/** A slot's lines, as IOS shows what is configured: none for a server mode never set up (no server, no path, default port). */
function slotLines(mode: ServerMode, slot: ServerSlot): string[] {
  const prefix = mode.toLowerCase();
  const lines: string[] = [];
  if (slot.imageServer) lines.push(configLine(`${prefix}-image-server`, slot.imageServer));
  if (slot.imagePath) lines.push(configLine(`${prefix}-image-path`, slot.imagePath));
  if (lines.length > 0 || slot.port !== DEFAULT_PORT[mode]) lines.push(` ${prefix}-image-port ${slot.port}`);
  return lines;
}

/**
 * The profile as EWC configuration lines: the mode, then both server modes' lines whatever the mode
 * (each keeps its own, as IOS does). The SFTP password appears only in the encrypted form this console
 * can read back (Password Type AES), never in clear.
 */
export function exportProfileConfig(profile: StoredProfile, sealedPassword: string | null): string {
  const { sftp } = profile;
  const lines = ['wireless profile image-download default', ` image-download-mode ${profile.mode.toLowerCase()}`, ...slotLines('TFTP', profile.tftp), ...slotLines('SFTP', sftp)];
  if (profile.mode === 'SFTP' || sftp.username) {
    lines.push(configLine('sftp-username', sftp.username));
    if (sealedPassword) lines.push(configLine('sftp-password aes', sealedPassword));
    if (sftp.hostKeyFingerprint) lines.push(configLine('sftp-host-key', sftp.hostKeyFingerprint));
    if (sftp.authMethod === 'key') lines.push(' ! private key authentication: the key is not exported');
  }
  lines.push(` parallel-mode ${profile.parallelMode ? 'enable' : 'disable'}`);
  return `${lines.join('\n')}\n`;
}
