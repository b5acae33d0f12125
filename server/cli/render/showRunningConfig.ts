import { iosRelease } from './showVersion';

/**
 * `show running-config`: the host name, the image-download profile (its lines exactly Export
 * configuration's, so the SFTP password only ever shows as `sftp-password aes …`) and the `logging` lines.
 */
export function renderRunningConfig(hostname: string, controllerVersion: string, profileConfig: string, logging: readonly string[]): string[] {
  const loggingBlock = logging.length > 0 ? [...logging, '!'] : [];
  const body = ['!', `version ${iosRelease(controllerVersion).split('.').slice(0, 2).join('.')}`, `hostname ${hostname}`, '!', ...profileConfig.trimEnd().split('\n'), '!', ...loggingBlock, 'end'];
  const bytes = Buffer.byteLength(`${body.join('\n')}\n`);
  return ['Building configuration...', '', `Current configuration : ${bytes} bytes`, ...body];
}
