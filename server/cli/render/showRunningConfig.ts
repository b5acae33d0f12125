import { iosRelease } from './showVersion';

/**
 * `show running-config`: the host name and the image-download profile, the profile lines being exactly
 * Export configuration's (so the SFTP password only ever shows as `sftp-password aes …`).
 */
export function renderRunningConfig(hostname: string, controllerVersion: string, profileConfig: string): string[] {
  const body = ['!', `version ${iosRelease(controllerVersion).split('.').slice(0, 2).join('.')}`, `hostname ${hostname}`, '!', ...profileConfig.trimEnd().split('\n'), '!', 'end'];
  const bytes = Buffer.byteLength(`${body.join('\n')}\n`);
  return ['Building configuration...', '', `Current configuration : ${bytes} bytes`, ...body];
}
