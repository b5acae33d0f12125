import type { HostKeyInfo } from '../../lib/imageDownloadProfile';
import { fetchHostKey } from './hostKey';
import { stripBrackets } from '../../lib/netAddress';

/** The host key of an SSH server, with failures worded as the console's other SFTP errors. */
export async function probeHostKey(host: string, port: number, timeoutMs: number): Promise<HostKeyInfo> {
  try {
    const { fingerprint, keyType } = await fetchHostKey({ host: stripBrackets(host), port, timeoutMs });
    return { host, port, fingerprint, keyType };
  } catch (error) {
    const message = (error as Error).message;
    if (/ECONNREFUSED/.test(message)) throw new Error('Connection refused');
    if (/Timed out|ETIMEDOUT/i.test(message)) throw new Error('Timed out');
    if (/ENOTFOUND|EAI_AGAIN/.test(message)) throw new Error('Host name not found');
    throw new Error(message);
  }
}
