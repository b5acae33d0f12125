import { isHttpMode } from '../../lib/httpModeSettings';
import { isHostKeyType } from '../../lib/hostKeyType';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, type ImageDownloadProfile, type ImageDownloadProfilePatch } from '../../lib/imageDownloadProfile';
import { hostKeyOwner, resolveProfilePatch } from '../../lib/profilePatch';
import type { SecretBox } from '../secrets/secretBox';
import { httpModeColumns, httpModeFromRow } from './httpModeColumns';
import type { ImageDownloadProfileTable } from './schema';
import { afterCommit, forUpdate, inTransaction, type Executor } from './store';

/** The profile as the server uses it, secrets opened. Never sent to a client as is (see `toProfileView`). */
export type StoredProfile = ImageDownloadProfile;

export const EMPTY_PROFILE: StoredProfile = EMPTY_IMAGE_DOWNLOAD_PROFILE;

/** A save the merged profile cannot take (a caller validates with `preview` first, so this is a bug). */
export class ProfileRefusedError extends Error {}

/** The row as the server uses it, secrets opened. */
function fromRow(row: ImageDownloadProfileTable, secrets: SecretBox): StoredProfile {
  const open = (sealed: string | null) => (sealed === null ? null : secrets.open(sealed));
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

function toRow(profile: StoredProfile, secrets: SecretBox): ImageDownloadProfileTable {
  const seal = (value: string | null) => (value === null ? null : secrets.seal(value));
  const { tftp, sftp } = profile;
  return {
    id: 1,
    // The column's CHECK allows TFTP and SFTP only; CCO and Desktop are said by `http_mode`.
    mode: isHttpMode(profile.mode) ? 'TFTP' : profile.mode,
    parallel_mode: profile.parallelMode ? 1 : 0,
    sftp_username: sftp.username,
    sftp_password_type: sftp.passwordType,
    sftp_password: seal(sftp.password),
    updated_at: new Date().toISOString(),
    sftp_auth_method: sftp.authMethod,
    sftp_private_key: seal(sftp.privateKey),
    sftp_passphrase: seal(sftp.passphrase),
    sftp_host_key_fingerprint: sftp.hostKeyFingerprint,
    sftp_host_key_for: sftp.hostKeyFingerprint ? hostKeyOwner(sftp.imageServer, sftp.port) : null,
    sftp_host_key_type: sftp.hostKeyType,
    ...httpModeColumns(profile, seal),
    tftp_image_server: tftp.imageServer,
    tftp_image_path: tftp.imagePath,
    tftp_port: tftp.port,
    sftp_image_server: sftp.imageServer,
    sftp_image_path: sftp.imagePath,
    sftp_port: sftp.port,
  };
}

/** What the memory holds of the saved profile: the profile, and the password as sealed in the row (the export shows that). */
interface Saved {
  profile: StoredProfile;
  sealedPassword: string | null;
}

/**
 * The image download profile: one row, and in memory the profile as last committed (every page, API
 * call and delivery reads it). A save merges what it names on top of the row as saved, read and
 * written in one transaction, and the memory follows once that commits.
 */
export class ProfileRepository {
  private constructor(
    private saved: Saved | null,
    private readonly defaults: StoredProfile,
    private readonly secrets: SecretBox,
  ) {}

  static async load(db: Executor, defaults: StoredProfile, secrets: SecretBox): Promise<ProfileRepository> {
    const row = await db.selectFrom('image_download_profile').selectAll().where('id', '=', 1).executeTakeFirst();
    return new ProfileRepository(row ? { profile: fromRow(row, secrets), sealedPassword: row.sftp_password } : null, defaults, secrets);
  }

  /** Whether the table holds a saved profile, read from it (a test's view of what the console stored). */
  static async isStored(db: Executor): Promise<boolean> {
    return (await db.selectFrom('image_download_profile').select('id').where('id', '=', 1).executeTakeFirst()) !== undefined;
  }

  /** Whether a profile was ever saved; until then the controller runs on its embedded defaults. */
  isSaved(): boolean {
    return this.saved !== null;
  }

  /** The saved profile, or the embedded default when none was saved yet. */
  get(): StoredProfile {
    return this.saved?.profile ?? this.defaults;
  }

  /** What saving `patch` would store, or why the merged profile cannot be saved. Stores nothing. */
  preview(patch: ImageDownloadProfilePatch): ReturnType<typeof resolveProfilePatch> {
    return resolveProfilePatch(this.get(), patch);
  }

  /**
   * Saves what the patch names, on top of the profile as saved now: a field it leaves out keeps its
   * value, whoever saved it. Secrets arrive in clear (AES passwords already opened) and are sealed here.
   * Answers the profile saved, and the one it replaced (what the audit trail describes the change against).
   */
  save(db: Executor, patch: ImageDownloadProfilePatch): Promise<{ before: StoredProfile; saved: StoredProfile }> {
    return inTransaction(db, async (tx) => {
      const row = await forUpdate(tx, tx.selectFrom('image_download_profile').selectAll().where('id', '=', 1)).executeTakeFirst();
      const before = row ? fromRow(row, this.secrets) : this.defaults;
      const resolved = resolveProfilePatch(before, patch);
      if (!resolved.ok) throw new ProfileRefusedError(resolved.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
      const next = toRow(resolved.profile, this.secrets);
      const { id: _id, ...columns } = next;
      await tx
        .insertInto('image_download_profile')
        .values(next)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(columns))
        .execute();
      // The profile as it reads back from the row (a host key is trusted only for the server it was given for).
      const saved = { profile: fromRow(next, this.secrets), sealedPassword: next.sftp_password };
      afterCommit(tx, () => (this.saved = saved));
      return { before, saved: saved.profile };
    });
  }

  /** The stored password as this console exports it (Password Type AES), or null. */
  exportedPassword(): string | null {
    return this.saved?.sealedPassword ?? null;
  }

  /** Re-seals every stored secret with another box: the key rotation command. */
  static async reseal(db: Executor, current: SecretBox, next: SecretBox): Promise<number> {
    const row = await db.selectFrom('image_download_profile').select(['sftp_password', 'sftp_private_key', 'sftp_passphrase', 'cco_password']).where('id', '=', 1).executeTakeFirst();
    if (!row) return 0;
    const move = (sealed: string | null) => (sealed === null ? null : next.seal(current.open(sealed)));
    await db
      .updateTable('image_download_profile')
      .set({ sftp_password: move(row.sftp_password), sftp_private_key: move(row.sftp_private_key), sftp_passphrase: move(row.sftp_passphrase), cco_password: move(row.cco_password) })
      .where('id', '=', 1)
      .execute();
    return Object.values(row).filter((value) => value !== null).length;
  }
}
