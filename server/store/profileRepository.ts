import { isHttpMode } from '../../lib/httpModeSettings';
import { DEFAULT_PORT, type ImageDownloadMode, type ImageDownloadProfileData, type ImageDownloadProfileView, type PasswordType, type SftpAuthMethod } from '../../lib/imageDownloadProfile';
import { isHostKeyType, type HostKeyType } from '../../lib/hostKeyType';
import type { SecretBox } from '../secrets/secretBox';
import type { Db } from './database';
import { ccoView, EMPTY_CCO, EMPTY_DESKTOP, httpModeFromRow, resealCcoPassword, saveHttpModeColumns, type HttpModeRow, type StoredCco, type StoredDesktop } from './httpModeColumns';

/** The profile as the server uses it, secrets opened. Never sent to a client as is. */
export interface StoredProfile {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: {
    username: string;
    passwordType: PasswordType;
    password: string | null;
    authMethod: SftpAuthMethod;
    privateKey: string | null;
    passphrase: string | null;
    /** The host key trusted for this profile's server and port, or null. */
    hostKeyFingerprint: string | null;
    /** Its type when known; null (or absent) for a fingerprint pasted without one. */
    hostKeyType?: HostKeyType | null;
  };
  cco: StoredCco;
  desktop: StoredDesktop;
}

/** The profile before anyone saved one, when no demo server provides a better default. */
export const EMPTY_PROFILE: StoredProfile = {
  mode: 'TFTP',
  imageServer: '',
  imagePath: '',
  port: DEFAULT_PORT.TFTP,
  parallelMode: false,
  sftp: { username: '', passwordType: 'UNENCRYPTED', password: null, authMethod: 'password', privateKey: null, passphrase: null, hostKeyFingerprint: null },
  cco: EMPTY_CCO,
  desktop: EMPTY_DESKTOP,
};

/** The profile as validated input gives it, secrets in clear (AES passwords already opened); absent CCO/Desktop settings keep the stored ones. */
export type ProfileInput = Omit<ImageDownloadProfileData, 'cco' | 'desktop'> & Partial<Pick<ImageDownloadProfileData, 'cco' | 'desktop'>>;

interface ProfileRow extends HttpModeRow {
  mode: ImageDownloadMode;
  image_server: string;
  image_path: string;
  port: number;
  parallel_mode: number;
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

export function toProfileView(profile: StoredProfile): ImageDownloadProfileView {
  return {
    mode: profile.mode,
    imageServer: profile.imageServer,
    imagePath: profile.imagePath,
    port: profile.port,
    parallelMode: profile.parallelMode,
    sftp: {
      username: profile.sftp.username,
      passwordType: profile.sftp.passwordType,
      hasPassword: profile.sftp.password !== null,
      authMethod: profile.sftp.authMethod,
      hasPrivateKey: profile.sftp.privateKey !== null,
      hostKeyFingerprint: profile.sftp.hostKeyFingerprint,
      hostKeyType: profile.sftp.hostKeyType ?? null,
    },
    ...ccoView(profile.cco, profile.desktop),
  };
}

// A host key belongs to one server and port; pointing the profile elsewhere asks for trust again.
const hostKeyOwner = (server: string, port: number) => `${server.toLowerCase()}:${port}`;

export class ProfileRepository {
  constructor(
    private readonly db: Db,
    private readonly defaults: StoredProfile,
    private readonly secrets: SecretBox,
  ) {}

  /** The saved profile, or the embedded default when none was saved yet. */
  get(): StoredProfile {
    const row = this.db.prepare('SELECT * FROM image_download_profile WHERE id = 1').get() as ProfileRow | undefined;
    if (!row) return this.defaults;
    const open = (sealed: string | null) => (sealed === null ? null : this.secrets.open(sealed));
    const trusted = row.sftp_host_key_for === hostKeyOwner(row.image_server, row.port) ? row.sftp_host_key_fingerprint : null;
    const { httpMode, cco, desktop } = httpModeFromRow(row, open);
    return {
      mode: httpMode ?? row.mode,
      imageServer: row.image_server,
      imagePath: row.image_path,
      port: row.port,
      parallelMode: row.parallel_mode === 1,
      sftp: {
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

  /** Saves validated input; an empty secret keeps the stored one, an empty fingerprint keeps the trusted one of the same server. */
  save(input: ProfileInput): StoredProfile {
    const current = this.get();
    const keep = (typed: string | undefined, stored: string | null) => (typed ? typed : stored);
    const password = keep(input.sftp.password, current.sftp.password);
    const privateKey = keep(input.sftp.privateKey, current.sftp.privateKey);
    // A new private key comes with its own passphrase (or none).
    const passphrase = input.sftp.privateKey ? input.sftp.passphrase || null : keep(input.sftp.passphrase, current.sftp.passphrase);
    const sameServer = hostKeyOwner(input.imageServer, input.port) === hostKeyOwner(current.imageServer, current.port);
    const fingerprint = input.sftp.hostKeyFingerprint || (sameServer ? current.sftp.hostKeyFingerprint : null);
    // A type comes with the key the server offered; the same fingerprint typed again keeps the one learned before.
    const keptType = sameServer && fingerprint === current.sftp.hostKeyFingerprint ? (current.sftp.hostKeyType ?? null) : null;
    const keyType = fingerprint ? input.sftp.hostKeyType || keptType : null;
    const seal = (value: string | null) => (value === null ? null : this.secrets.seal(value));
    this.db
      .prepare(
        `INSERT INTO image_download_profile (id, mode, image_server, image_path, port, parallel_mode, sftp_username, sftp_password_type, sftp_password,
           sftp_auth_method, sftp_private_key, sftp_passphrase, sftp_host_key_fingerprint, sftp_host_key_for, sftp_host_key_type, updated_at)
         VALUES (1, @mode, @imageServer, @imagePath, @port, @parallelMode, @username, @passwordType, @password,
           @authMethod, @privateKey, @passphrase, @fingerprint, @hostKeyFor, @keyType, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, image_server = excluded.image_server, image_path = excluded.image_path,
           port = excluded.port, parallel_mode = excluded.parallel_mode, sftp_username = excluded.sftp_username,
           sftp_password_type = excluded.sftp_password_type, sftp_password = excluded.sftp_password,
           sftp_auth_method = excluded.sftp_auth_method, sftp_private_key = excluded.sftp_private_key, sftp_passphrase = excluded.sftp_passphrase,
           sftp_host_key_fingerprint = excluded.sftp_host_key_fingerprint, sftp_host_key_for = excluded.sftp_host_key_for,
           sftp_host_key_type = excluded.sftp_host_key_type, updated_at = excluded.updated_at`,
      )
      .run({
        mode: isHttpMode(input.mode) ? 'TFTP' : input.mode,
        imageServer: input.imageServer,
        imagePath: input.imagePath,
        port: input.port,
        parallelMode: input.parallelMode ? 1 : 0,
        username: input.sftp.username,
        passwordType: input.sftp.passwordType,
        password: seal(password),
        authMethod: input.sftp.authMethod,
        privateKey: seal(privateKey),
        passphrase: seal(passphrase),
        fingerprint,
        hostKeyFor: fingerprint ? hostKeyOwner(input.imageServer, input.port) : null,
        keyType,
        updatedAt: new Date().toISOString(),
      });
    saveHttpModeColumns(this.db, this.secrets, input, current.cco, current.desktop);
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
      | Pick<ProfileRow, 'sftp_password' | 'sftp_private_key' | 'sftp_passphrase'>
      | undefined;
    if (!row) return 0;
    const move = (sealed: string | null) => (sealed === null ? null : next.seal(this.secrets.open(sealed)));
    const values = [row.sftp_password, row.sftp_private_key, row.sftp_passphrase];
    this.db
      .prepare('UPDATE image_download_profile SET sftp_password = ?, sftp_private_key = ?, sftp_passphrase = ? WHERE id = 1')
      .run(...values.map(move));
    return values.filter((v) => v !== null).length + resealCcoPassword(this.db, (sealed) => this.secrets.open(sealed), next);
  }
}
