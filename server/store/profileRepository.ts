import type { ImageDownloadProfileData, ImageDownloadProfileView, ImageDownloadMode, PasswordType } from '../../lib/imageDownloadProfile';
import type { Db } from './database';

/** The profile as the server uses it, secret included. Never sent to a client as is. */
export interface StoredProfile {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: { username: string; passwordType: PasswordType; password: string | null };
}

interface ProfileRow {
  mode: ImageDownloadMode;
  image_server: string;
  image_path: string;
  port: number;
  parallel_mode: number;
  sftp_username: string;
  sftp_password_type: PasswordType;
  sftp_password: string | null;
}

export function toProfileView(profile: StoredProfile): ImageDownloadProfileView {
  return {
    mode: profile.mode,
    imageServer: profile.imageServer,
    imagePath: profile.imagePath,
    port: profile.port,
    parallelMode: profile.parallelMode,
    sftp: { username: profile.sftp.username, passwordType: profile.sftp.passwordType, hasPassword: profile.sftp.password !== null },
  };
}

export class ProfileRepository {
  constructor(
    private readonly db: Db,
    private readonly defaults: StoredProfile,
  ) {}

  /** The saved profile, or the embedded default when none was saved yet. */
  get(): StoredProfile {
    const row = this.db.prepare('SELECT * FROM image_download_profile WHERE id = 1').get() as ProfileRow | undefined;
    if (!row) return this.defaults;
    return {
      mode: row.mode,
      imageServer: row.image_server,
      imagePath: row.image_path,
      port: row.port,
      parallelMode: row.parallel_mode === 1,
      sftp: { username: row.sftp_username, passwordType: row.sftp_password_type, password: row.sftp_password },
    };
  }

  /** Saves validated input; an empty password keeps the stored one. */
  save(input: ImageDownloadProfileData): StoredProfile {
    const current = this.get();
    const password = input.sftp.password ? input.sftp.password : current.sftp.password;
    this.db
      .prepare(
        `INSERT INTO image_download_profile (id, mode, image_server, image_path, port, parallel_mode, sftp_username, sftp_password_type, sftp_password, updated_at)
         VALUES (1, @mode, @imageServer, @imagePath, @port, @parallelMode, @username, @passwordType, @password, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, image_server = excluded.image_server, image_path = excluded.image_path,
           port = excluded.port, parallel_mode = excluded.parallel_mode, sftp_username = excluded.sftp_username,
           sftp_password_type = excluded.sftp_password_type, sftp_password = excluded.sftp_password, updated_at = excluded.updated_at`,
      )
      .run({
        mode: input.mode,
        imageServer: input.imageServer,
        imagePath: input.imagePath,
        port: input.port,
        parallelMode: input.parallelMode ? 1 : 0,
        username: input.sftp.username,
        passwordType: input.sftp.passwordType,
        password,
        updatedAt: new Date().toISOString(),
      });
    return this.get();
  }
}
