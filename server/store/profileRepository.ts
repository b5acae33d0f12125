import { isHttpMode } from '../../lib/httpModeSettings';
import { isHostKeyType } from '../../lib/hostKeyType';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, type ImageDownloadProfile, type ImageDownloadProfilePatch, type PasswordType, type SftpAuthMethod } from '../../lib/imageDownloadProfile';
import { hostKeyOwner, resolveProfilePatch } from '../../lib/profilePatch';
import type { SecretBox } from '../secrets/secretBox';
import type { Db } from './database';
import { httpModeFromRow, resealCcoPassword, writeHttpModeColumns, type HttpModeRow } from './httpModeColumns';

/** The profile as the server uses it, secrets opened. Never sent to a client as is (see `toProfileView`). */
export type StoredProfile = ImageDownloadProfile;

export const EMPTY_PROFILE: StoredProfile = EMPTY_IMAGE_DOWNLOAD_PROFILE;

/** A save the merged profile cannot take (a caller validates with `preview` first, so this is a bug). */
export class ProfileRefusedError extends Error {}

interface ProfileRow extends HttpModeRow {
  mode: 'TFTP' | 'SFTP';
  parallel_mode: number;
  tftp_image_server: string;
  tftp_image_path: string;
  tftp_port: number;
  sftp_image_server: string;
  sftp_image_path: string;
  sftp_port: number;
  sftp_username: string;
  sftp_password_type: PasswordType;
  sftp_password: string | null;
  sftp_auth_method: SftpAuthMethod;
  sftp_private_key: string | null;
  sftp_passphrase: string | null;
  sftp_host_key_fingerprint: string | null;
  sftp_host_key_for: string | null;
  sftp_host_key_type: string | null;
}

export class ProfileRepository {
  constructor(
    private readonly db: Db,
    private readonly defaults: StoredProfile,
    private readonly secrets: SecretBox,
  ) {}

  /** Whether a profile was ever saved; until then the controller runs on its embedded defaults. */
  isSaved(): boolean {
    return this.db.prepare('SELECT 1 FROM image_download_profile WHERE id = 1').get() !== undefined;
  }

  /** The saved profile, or the embedded default when none was saved yet. */
  get(): StoredProfile {
    const row = this.db.prepare('SELECT * FROM image_download_profile WHERE id = 1').get() as ProfileRow | undefined;
    if (!row) return this.defaults;
    const open = (sealed: string | null) => (sealed === null ? null : this.secrets.open(sealed));
    const trusted = row.sftp_host_key_for === hostKeyOwner(row.sftp_image_server, row.sftp_port) ? row.sftp_host_key_fingerprint : null;
    const { httpMode, cco, desktop } = httpModeFromRow(row, open);
    return {
      mode: httpMode ?? row.mode,
      parallelMode: row.parallel_mode === 1,
      tftp: { imageServer: row.tftp_image_server, imagePath: row.tftp_image_path, port: row.tftp_port },
      sftp: {
        imageServer: row.sftp_image_server,
        imagePath: row.sftp_image_path,
        port: row.sftp_port,
        username: row.sftp_username,
        passwordType: row.sftp_password_type,
        password: open(row.sftp_password),
        authMethod: row.sftp_auth_method,
        privateKey: open(row.sftp_private_key),
        passphrase: open(row.sftp_passphrase),
        hostKeyFingerprint: trusted,
        hostKeyType: trusted && row.sftp_host_key_type && isHostKeyType(row.sftp_host_key_type) ? row.sftp_host_key_type : null,
      },
      cco,
      desktop,
    };
  }

  /** What saving `patch` would store, or why the merged profile cannot be saved. Stores nothing. */
  preview(patch: ImageDownloadProfilePatch): ReturnType<typeof resolveProfilePatch> {
    return resolveProfilePatch(this.get(), patch);
  }

  /**
   * Saves what the patch names, on top of the profile as saved now: a field it leaves out keeps its
   * value, whoever saved it. Secrets arrive in clear (AES passwords already opened) and are sealed here.
   */
  save(patch: ImageDownloadProfilePatch): StoredProfile {
    const resolved = this.preview(patch);
    if (!resolved.ok) throw new ProfileRefusedError(resolved.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    const next = resolved.profile;
    const seal = (value: string | null) => (value === null ? null : this.secrets.seal(value));
    const { tftp, sftp } = next;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO image_download_profile (id, mode, tftp_image_server, tftp_image_path, tftp_port, sftp_image_server, sftp_image_path, sftp_port,
             parallel_mode, sftp_username, sftp_password_type, sftp_password, sftp_auth_method, sftp_private_key, sftp_passphrase,
             sftp_host_key_fingerprint, sftp_host_key_for, sftp_host_key_type, updated_at)
           VALUES (1, @mode, @tftpServer, @tftpPath, @tftpPort, @sftpServer, @sftpPath, @sftpPort,
             @parallelMode, @username, @passwordType, @password, @authMethod, @privateKey, @passphrase,
             @fingerprint, @hostKeyFor, @keyType, @updatedAt)
           ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, tftp_image_server = excluded.tftp_image_server, tftp_image_path = excluded.tftp_image_path,
             tftp_port = excluded.tftp_port, sftp_image_server = excluded.sftp_image_server, sftp_image_path = excluded.sftp_image_path,
             sftp_port = excluded.sftp_port, parallel_mode = excluded.parallel_mode, sftp_username = excluded.sftp_username,
             sftp_password_type = excluded.sftp_password_type, sftp_password = excluded.sftp_password,
             sftp_auth_method = excluded.sftp_auth_method, sftp_private_key = excluded.sftp_private_key, sftp_passphrase = excluded.sftp_passphrase,
             sftp_host_key_fingerprint = excluded.sftp_host_key_fingerprint, sftp_host_key_for = excluded.sftp_host_key_for,
             sftp_host_key_type = excluded.sftp_host_key_type, updated_at = excluded.updated_at`,
        )
        .run({
          // The column's CHECK allows TFTP and SFTP only; CCO and Desktop are said by `http_mode`.
          mode: isHttpMode(next.mode) ? 'TFTP' : next.mode,
          tftpServer: tftp.imageServer,
          tftpPath: tftp.imagePath,
          tftpPort: tftp.port,
          sftpServer: sftp.imageServer,
          sftpPath: sftp.imagePath,
          sftpPort: sftp.port,
          parallelMode: next.parallelMode ? 1 : 0,
          username: sftp.username,
          passwordType: sftp.passwordType,
          password: seal(sftp.password),
          authMethod: sftp.authMethod,
          privateKey: seal(sftp.privateKey),
          passphrase: seal(sftp.passphrase),
          fingerprint: sftp.hostKeyFingerprint,
          hostKeyFor: sftp.hostKeyFingerprint ? hostKeyOwner(sftp.imageServer, sftp.port) : null,
          keyType: sftp.hostKeyType,
          updatedAt: new Date().toISOString(),
        });
      writeHttpModeColumns(this.db, this.secrets, next);
    })();
    return this.get();
  }

  /** The stored password as this console exports it (Password Type AES), or null. */
  exportedPassword(): string | null {
    const row = this.db.prepare('SELECT sftp_password FROM image_download_profile WHERE id = 1').get() as { sftp_password: string | null } | undefined;
    return row?.sftp_password ?? null;
  }

  /** Re-seals every stored secret with another box: the key rotation command. */
  reseal(next: SecretBox): number {
    const row = this.db.prepare('SELECT sftp_password, sftp_private_key, sftp_passphrase FROM image_download_profile WHERE id = 1').get() as
      Pick<ProfileRow, 'sftp_password' | 'sftp_private_key' | 'sftp_passphrase'> | undefined;
    if (!row) return 0;
    const move = (sealed: string | null) => (sealed === null ? null : next.seal(this.secrets.open(sealed)));
    const values = [row.sftp_password, row.sftp_private_key, row.sftp_passphrase];
    this.db.prepare('UPDATE image_download_profile SET sftp_password = ?, sftp_private_key = ?, sftp_passphrase = ? WHERE id = 1').run(...values.map(move));
    return values.filter((v) => v !== null).length + resealCcoPassword(this.db, (sealed) => this.secrets.open(sealed), next);
  }
}
