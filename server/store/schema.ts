import type { Generated } from 'kysely';
import type { ImageDownloadMode, PasswordType, SftpAuthMethod } from '../../lib/imageDownloadProfile';
import type { CcoAutoCheck, HttpMode } from '../../lib/httpModeSettings';
import type { PredownloadStatus } from '../../lib/predownloadStatus';
import type { RolloutState, RolloutStrategy, ScheduledActionName, WaveState } from '../../lib/rollout';
import type { UpgradeBarStage, UpgradeStage } from '../../lib/upgradeStage';
import type { ApAuthorizationStatus } from '../../lib/apAuthorization';
import type { Role } from '../../lib/validations/authSchemas';
import type { SyslogSeverity } from '../../lib/syslog';

/**
 * The console's tables as the queries see them, once: every repository's query is typed against this.
 * The DDL that makes them is the baseline migration (migrations/baseline.ts); a test checks that the two
 * engines and an old SQLite install end with the same tables. Booleans are INTEGER 0/1 and times ISO text
 * on both engines; JSON is kept as text. Ids that the console numbers itself (event lines, upgrades) are
 * plain numbers; ids the database numbers are `Generated`.
 */
export interface Database {
  schema_migration: SchemaMigrationTable;
  image_download_profile: ImageDownloadProfileTable;
  access_point: AccessPointTable;
  upgrade: UpgradeTable;
  controller: ControllerTable;
  event_log: EventLogTable;
  auth_user: AuthUserTable;
  auth_session: AuthSessionTable;
  auth_login_failure: AuthLoginFailureTable;
  auth_login_lock: AuthLoginLockTable;
  audit_log: AuditLogTable;
  ap_authorization: ApAuthorizationTable;
  ap_enrolment_token: ApEnrolmentTokenTable;
  cli_setting: CliSettingTable;
  auth_ssh_key: AuthSshKeyTable;
  catalog_check: CatalogCheckTable;
  upgrade_run: UpgradeRunTable;
  upgrade_run_job: UpgradeRunJobTable;
  upgrade_run_ap: UpgradeRunApTable;
  upgrade_run_progress: UpgradeRunProgressTable;
  rollout: RolloutTable;
  rollout_wave: RolloutWaveTable;
  scheduled_action: ScheduledActionTable;
  trusted_image_digest: TrustedImageDigestTable;
  shared_trust: SharedTrustTable;
  trusted_vendor_key: TrustedVendorKeyTable;
  console_node: ConsoleNodeTable;
}

export interface SchemaMigrationTable {
  name: string;
  applied_at: string;
}

/** One row (id 1). `mode` is TFTP or SFTP; CCO and Desktop are said by `http_mode` (`mode` then keeps TFTP). */
export interface ImageDownloadProfileTable {
  id: number;
  mode: 'TFTP' | 'SFTP';
  parallel_mode: number;
  sftp_username: string;
  sftp_password_type: PasswordType;
  sftp_password: string | null;
  updated_at: string;
  sftp_auth_method: SftpAuthMethod;
  sftp_private_key: string | null;
  sftp_passphrase: string | null;
  sftp_host_key_fingerprint: string | null;
  sftp_host_key_for: string | null;
  http_mode: HttpMode | null;
  cco_catalog_url: string;
  cco_username: string;
  cco_password: string | null;
  cco_release: string;
  cco_auto_check: CcoAutoCheck;
  cco_auto_check_time: string;
  cco_ca_certificate: string;
  cco_certificate_fingerprint: string;
  desktop_upload_id: string;
  desktop_version: string;
  sftp_host_key_type: string | null;
  tftp_image_server: string;
  tftp_image_path: string;
  tftp_port: number;
  sftp_image_server: string;
  sftp_image_path: string;
  sftp_port: number;
}

export interface AccessPointTable {
  mac: string;
  name: string;
  model: string;
  image_type: string;
  role: string;
  primary_image: string;
  backup_image: string;
  backup_image_sha256: string | null;
  controller_primary_image: string | null;
  controller_backup_image: string | null;
  hosts_controller: number;
  free_space_kb: number;
  predownload_status: PredownloadStatus;
  predownload_version: string | null;
  retry_count: number;
  next_retry_time: string | null;
  method: string;
  last_error: string | null;
  upgrade_id: number | null;
  last_seen_at: string;
  site_tag: string;
  /** JSON array of neighbour MACs. */
  neighbors: string;
  activation_excluded: number;
}

export interface UpgradeTable {
  id: number;
  stage: UpgradeStage;
  last_bar_stage: UpgradeBarStage | null;
  mode: ImageDownloadMode;
  image_url: string;
  parallel_mode: number;
  target_version: string | null;
  target_controller_version: string | null;
  started_at: string;
  finished_at: string | null;
  message: string | null;
  /** JSON of the message's code and parameters (lib/serverSentences.ts), or null for rows older than them. */
  message_sentence: string | null;
  started_by: string | null;
  started_via: string | null;
  /** JSON of the predownload's targets, or null for every AP. */
  targets: string | null;
  /** JSON of its APs by status as it ended (lib/upgradeOutcome.ts). */
  ap_counts: string | null;
  superseded_by: number | null;
}

export interface ControllerTable {
  id: number;
  version: string;
}

export interface EventLogTable {
  id: number;
  time: string;
  severity: SyslogSeverity;
  facility: string;
  text: string;
}

export interface AuthUserTable {
  username: string;
  role: Role;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
  /** The page's language the account chose last (lib/locale.ts), or null for none yet. */
  locale: string | null;
}

export interface AuthSessionTable {
  id_hash: string;
  username: string;
  created_ms: number;
  last_seen_ms: number;
}

export interface AuthLoginFailureTable {
  key: string;
  time_ms: number;
}

export interface AuthLoginLockTable {
  key: string;
  until_ms: number;
  failures: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  time: string;
  username: string;
  source_address: string;
  action: string;
  detail: string;
}

export interface ApAuthorizationTable {
  mac: string;
  status: ApAuthorizationStatus;
  cert_serial: string;
  cert_fingerprint: string;
  cert_expires_at: string;
  enrolled_via: 'join-token' | 'enrolment-token';
  enrolled_at: string;
  enrolled_from: string;
  changed_at: string;
  changed_by: string;
}

export interface ApEnrolmentTokenTable {
  id: Generated<number>;
  token_hash: string;
  mac: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by_mac: string | null;
}

export interface CliSettingTable {
  key: string;
  value: string;
}

export interface AuthSshKeyTable {
  id: Generated<number>;
  username: string;
  key_type: string;
  key_blob: string;
  fingerprint: string;
  comment: string;
  created_at: string;
}

export interface CatalogCheckTable {
  id: number;
  checked_at: string;
  /** JSON, as GET /api/software-upgrade/check returns it. */
  result: string;
}

export interface UpgradeRunTable {
  upgrade_id: number;
  /** JSON of the profile the run started with, its secrets sealed. */
  profile: string;
  cache_dir: string;
  created_at: string;
}

export interface UpgradeRunJobTable {
  upgrade_id: number;
  file_name: string;
  kind: 'ap' | 'controller';
  image_type: string | null;
  size: number | null;
  sha256: string | null;
}

export interface UpgradeRunApTable {
  upgrade_id: number;
  mac: string;
  /** 'ap,controller', 'ap' or ''. */
  pending_kinds: string;
}

/** The last count an AP acknowledged of one image of the run, as last kept (every few percent, and at the end). */
export interface UpgradeRunProgressTable {
  upgrade_id: number;
  mac: string;
  kind: 'ap' | 'controller';
  bytes: number;
  total: number;
}

export interface RolloutTable {
  upgrade_id: number;
  strategy: RolloutStrategy;
  wave_percent: number | null;
  wave_size: number | null;
  error_threshold_percent: number;
  window_end: string | null;
  state: RolloutState;
  pause_reason: string | null;
  /** JSON of the pause reason's sentence, when it is one. */
  pause_sentence: string | null;
  current_wave: number;
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface RolloutWaveTable {
  upgrade_id: number;
  wave_index: number;
  state: WaveState;
  /** JSON array of the wave's AP MACs. */
  aps: string;
  started_at: string | null;
  finished_at: string | null;
  failed: number;
}

export interface ScheduledActionTable {
  id: Generated<number>;
  action: ScheduledActionName;
  at: string;
  window_end: string | null;
  /** JSON: the activation options or the predownload's targets. */
  options: string;
  state: 'pending' | 'started' | 'cancelled' | 'failed';
  created_by: string;
  created_at: string;
  outcome: string | null;
}

export interface TrustedImageDigestTable {
  source: string;
  name: string;
  sha256: string;
  size: number;
  trusted_by: string;
  trusted_at: string;
}

/** What the nodes on one database share to admit the same APs, by name (`ca`: certificate and sealed key; `fleet-join-token`, sealed). */
export interface SharedTrustTable {
  name: string;
  value: string;
  created_at: string;
}

/** A vendor's Ed25519 public key (PEM) that image manifests are verified with, by its SHA-256, and the file name it came in. */
export interface TrustedVendorKeyTable {
  sha256: string;
  file_name: string;
  public_key_pem: string;
  added_at: string;
}

/** A console node on this database: `leader` (holds the leader lock), `standby`, or `stopped` (stopped, or lost the lock to another node). */
export interface ConsoleNodeTable {
  name: string;
  web_url: string;
  ap_url: string | null;
  /** `ssh://HOST:PORT`: where its CLI answers while it leads (a standby forwards its CLI port there). */
  cli_url: string | null;
  role: 'leader' | 'standby' | 'stopped';
  started_at: string;
  /** When it last took the lead (kept after it stops: the node that led last is the one with the latest). */
  leading_since: string | null;
  last_seen: string;
}
