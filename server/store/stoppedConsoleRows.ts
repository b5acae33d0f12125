import type { Executor } from './executor';

/** What a stopped console left in its database: what the restart and failover runs check. */
export interface StoppedConsoleRows {
  /** The saved profile's mode and that mode's image server, path and port; null when none was saved. */
  profile: { mode: string; imageServer: string; imagePath: string; port: number; parallelMode: boolean } | null;
  users: string[];
  /** Every event line, oldest first. */
  eventTexts: string[];
}

/** Reads those rows on either engine. */
export async function readStoppedConsoleRows(db: Executor): Promise<StoppedConsoleRows> {
  const row = await db.selectFrom('image_download_profile').selectAll().where('id', '=', 1).executeTakeFirst();
  // Each of TFTP and SFTP keeps its own columns: the saved mode's are the ones in use.
  const profile = row
    ? row.mode === 'SFTP'
      ? { mode: row.mode, imageServer: row.sftp_image_server, imagePath: row.sftp_image_path, port: row.sftp_port, parallelMode: row.parallel_mode === 1 }
      : { mode: row.mode, imageServer: row.tftp_image_server, imagePath: row.tftp_image_path, port: row.tftp_port, parallelMode: row.parallel_mode === 1 }
    : null;
  const users = (await db.selectFrom('auth_user').select('username').orderBy('username').execute()).map((user) => user.username);
  const eventTexts = (await db.selectFrom('event_log').select('text').orderBy('id').execute()).map((line) => line.text);
  return { profile, users, eventTexts };
}
