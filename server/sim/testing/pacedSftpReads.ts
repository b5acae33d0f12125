import { vi } from 'vitest';
import { SftpChannel } from '../../sftp/sftpChannel';

/**
 * Spies on every SFTP read of a download shared over several connections. Until a second connection has read, each
 * read of the first waits `delayMs` before it goes out: the extra connections log in only once the first has opened
 * the file, and on a fast loopback the first alone could otherwise finish before they join (seen in CI: a second
 * connection first read at read 899 of 1,281, and at times not at all). The download still has to be byte for byte.
 */
export function paceFirstSftpConnection(delayMs = 20): { connectionsThatRead: () => number; restore: () => void } {
  const read = SftpChannel.prototype.read;
  const channels = new Set<SftpChannel>();
  const spy = vi.spyOn(SftpChannel.prototype, 'read').mockImplementation(function (this: SftpChannel, ...args: Parameters<SftpChannel['read']>) {
    channels.add(this);
    if (channels.size === 1) setTimeout(() => read.apply(this, args), delayMs);
    else read.apply(this, args);
  });
  return { connectionsThatRead: () => channels.size, restore: () => spy.mockRestore() };
}
