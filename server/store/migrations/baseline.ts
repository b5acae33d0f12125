import { sql } from 'kysely';
import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';
import type { SchemaDialect } from './schemaDialect';

/** The name the baseline is recorded under; an old SQLite install records it once its legacy SQL files are done. */
export const BASELINE_MIGRATION = '013_baseline';

const oneOf = (column: string, values: readonly string[]) => sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
const between = (column: string, low: number, high: number) => sql`${sql.ref(column)} between ${sql.lit(low)} and ${sql.lit(high)}`;
const singleRow = sql`id = 1`;

/**
 * The whole schema of a new database, as thirteen SQL migrations (sqlite/legacy/) left an SQLite install:
 * same tables, columns in the same order, same defaults, checks, keys and indexes (a test compares them).
 * Some shapes are history kept for that equality: `mode` allows TFTP and SFTP only, so CCO and Desktop are
 * said by `http_mode`.
 */
export const baseline: StoreMigration = {
  name: BASELINE_MIGRATION,
  async up(db: Executor, dialect: SchemaDialect): Promise<void> {
    const { schema } = db;
    const nocase = dialect.caseInsensitiveText;

    await schema
      .createTable('image_download_profile')
      .addColumn('id', 'integer', (col) => col.primaryKey().check(singleRow))
      .addColumn('mode', 'text', (col) => col.notNull().check(oneOf('mode', ['TFTP', 'SFTP'])))
      .addColumn('parallel_mode', 'integer', (col) => col.notNull())
      .addColumn('sftp_username', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('sftp_password_type', 'text', (col) => col.notNull().defaultTo('UNENCRYPTED'))
      // SFTP and CCO secrets are stored sealed (AES-256-GCM, server/secrets/secretBox.ts).
      .addColumn('sftp_password', 'text')
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('sftp_auth_method', 'text', (col) => col.notNull().defaultTo('password'))
      .addColumn('sftp_private_key', 'text')
      .addColumn('sftp_passphrase', 'text')
      // The host key is trusted per server and port: `sftp_host_key_for` names them.
      .addColumn('sftp_host_key_fingerprint', 'text')
      .addColumn('sftp_host_key_for', 'text')
      .addColumn('http_mode', 'text', (col) => col.check(oneOf('http_mode', ['CCO', 'DESKTOP'])))
      .addColumn('cco_catalog_url', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('cco_username', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('cco_password', 'text')
      .addColumn('cco_release', 'text', (col) => col.notNull().defaultTo('recommended'))
      .addColumn('cco_auto_check', 'text', (col) => col.notNull().defaultTo('off'))
      .addColumn('cco_auto_check_time', 'text', (col) => col.notNull().defaultTo('03:00'))
      .addColumn('cco_ca_certificate', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('cco_certificate_fingerprint', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('desktop_upload_id', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('desktop_version', 'text', (col) => col.notNull().defaultTo(''))
      // NULL for a fingerprint pasted without its key type, which the client then looks for among the server's keys.
      .addColumn('sftp_host_key_type', 'text')
      // TFTP and SFTP each keep their own image server, path and port, as IOS keeps the tftp-image-* and sftp-image-* lines apart.
      .addColumn('tftp_image_server', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('tftp_image_path', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('tftp_port', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(69)
          .check(between('tftp_port', 1, 65535)),
      )
      .addColumn('sftp_image_server', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('sftp_image_path', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('sftp_port', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(22)
          .check(between('sftp_port', 1, 65535)),
      )
      .execute();

    await schema
      .createTable('access_point')
      .addColumn('mac', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('model', 'text', (col) => col.notNull())
      .addColumn('image_type', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull().defaultTo('Master'))
      .addColumn('primary_image', 'text', (col) => col.notNull())
      .addColumn('backup_image', 'text', (col) => col.notNull())
      .addColumn('backup_image_sha256', 'text')
      .addColumn('controller_primary_image', 'text')
      .addColumn('controller_backup_image', 'text')
      .addColumn('hosts_controller', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('free_space_kb', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('predownload_status', 'text', (col) => col.notNull().defaultTo('None'))
      .addColumn('predownload_version', 'text')
      .addColumn('retry_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_retry_time', 'text')
      .addColumn('method', 'text', (col) => col.notNull().defaultTo('CAPWAP'))
      .addColumn('last_error', 'text')
      .addColumn('upgrade_id', 'integer')
      .addColumn('last_seen_at', 'text', (col) => col.notNull())
      .addColumn('site_tag', 'text', (col) => col.notNull().defaultTo('default-site-tag'))
      .addColumn('neighbors', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('activation_excluded', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();

    await dialect
      .autoId(schema.createTable('upgrade'), 'id')
      .addColumn('stage', 'text', (col) => col.notNull())
      .addColumn('last_bar_stage', 'text')
      .addColumn('mode', 'text', (col) => col.notNull())
      .addColumn('image_url', 'text', (col) => col.notNull())
      .addColumn('parallel_mode', 'integer', (col) => col.notNull())
      .addColumn('target_version', 'text')
      .addColumn('target_controller_version', 'text')
      .addColumn('started_at', 'text', (col) => col.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('message', 'text')
      // Who started it and how (page, api, cli, schedule), for the history.
      .addColumn('started_by', 'text')
      .addColumn('started_via', 'text')
      .addColumn('targets', 'text')
      // Its APs as it ended, written with its last stage change, so the history stays true after a later upgrade takes them.
      .addColumn('ap_counts', 'text')
      // The upgrade that replaced this one while it waited at Activate.
      .addColumn('superseded_by', 'integer', (col) => col.references('upgrade.id'))
      .execute();

    await schema
      .createTable('controller')
      .addColumn('id', 'integer', (col) => col.primaryKey().check(singleRow))
      .addColumn('version', 'text', (col) => col.notNull())
      .execute();

    await dialect
      .autoId(schema.createTable('event_log'), 'id')
      .addColumn('time', 'text', (col) => col.notNull())
      .addColumn('severity', 'text', (col) => col.notNull())
      .addColumn('facility', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .execute();

    await schema
      .createTable('auth_user')
      .addColumn('username', nocase.type, (col) => nocase.column(col.primaryKey()))
      .addColumn('role', 'text', (col) => col.notNull().check(oneOf('role', ['admin', 'monitor'])))
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('password_changed_at', 'text', (col) => col.notNull())
      .execute();

    // Only the sha256 of a session id is stored, so a copy of the database does not hand out live sessions.
    // Times are epoch milliseconds: expiry is compared arithmetically on every request.
    await schema
      .createTable('auth_session')
      .addColumn('id_hash', 'text', (col) => col.primaryKey())
      .addColumn('username', nocase.type, (col) => nocase.column(col.notNull()).references('auth_user.username').onDelete('cascade'))
      .addColumn('created_ms', dialect.bigInteger, (col) => col.notNull())
      .addColumn('last_seen_ms', dialect.bigInteger, (col) => col.notNull())
      .execute();
    await schema.createIndex('auth_session_username').on('auth_session').column('username').execute();

    // Failed logins per attempted name (known or not, so the lock does not reveal which accounts exist).
    await schema
      .createTable('auth_login_failure')
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('time_ms', dialect.bigInteger, (col) => col.notNull())
      .execute();
    await schema.createIndex('auth_login_failure_key').on('auth_login_failure').columns(['key', 'time_ms']).execute();

    await schema
      .createTable('auth_login_lock')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('until_ms', dialect.bigInteger, (col) => col.notNull())
      .addColumn('failures', 'integer', (col) => col.notNull())
      .execute();

    await dialect
      .autoId(schema.createTable('audit_log'), 'id')
      .addColumn('time', 'text', (col) => col.notNull())
      .addColumn('username', 'text', (col) => col.notNull())
      .addColumn('source_address', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('detail', 'text', (col) => col.notNull().defaultTo(''))
      .execute();

    // The AP authorization list: a certificate is accepted only while its serial is the row's and the row is approved.
    await schema
      .createTable('ap_authorization')
      .addColumn('mac', 'text', (col) => col.primaryKey())
      .addColumn('status', 'text', (col) => col.notNull().check(oneOf('status', ['pending', 'approved', 'revoked'])))
      .addColumn('cert_serial', 'text', (col) => col.notNull())
      .addColumn('cert_fingerprint', 'text', (col) => col.notNull())
      .addColumn('cert_expires_at', 'text', (col) => col.notNull())
      .addColumn('enrolled_via', 'text', (col) => col.notNull().check(oneOf('enrolled_via', ['join-token', 'enrolment-token'])))
      .addColumn('enrolled_at', 'text', (col) => col.notNull())
      .addColumn('enrolled_from', 'text', (col) => col.notNull())
      .addColumn('changed_at', 'text', (col) => col.notNull())
      .addColumn('changed_by', 'text', (col) => col.notNull())
      .execute();

    // One-time enrolment tokens an admin created; only their sha256 is stored.
    await dialect
      .autoId(schema.createTable('ap_enrolment_token'), 'id')
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('mac', 'text')
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('used_at', 'text')
      .addColumn('used_by_mac', 'text')
      .execute();

    // Settings of the SSH CLI that are not part of the upgrade profile (the `hostname` of the prompt).
    await schema
      .createTable('cli_setting')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .execute();

    // SSH public keys an administrator added to an account, as authorized_keys carries them (base64 of the wire format).
    await dialect
      .autoId(schema.createTable('auth_ssh_key'), 'id')
      .addColumn('username', nocase.type, (col) => nocase.column(col.notNull()).references('auth_user.username').onDelete('cascade'))
      .addColumn('key_type', 'text', (col) => col.notNull())
      .addColumn('key_blob', 'text', (col) => col.notNull())
      .addColumn('fingerprint', 'text', (col) => col.notNull())
      .addColumn('comment', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addUniqueConstraint('auth_ssh_key_username_fingerprint', ['username', 'fingerprint'])
      .execute();
    await schema.createIndex('auth_ssh_key_username').on('auth_ssh_key').column('username').execute();

    await schema
      .createTable('catalog_check')
      .addColumn('id', 'integer', (col) => col.primaryKey().check(singleRow))
      .addColumn('checked_at', 'text', (col) => col.notNull())
      .addColumn('result', 'text', (col) => col.notNull())
      .execute();

    // What a running upgrade needs to carry on after the controller restarts, beside its AP rows.
    await schema
      .createTable('upgrade_run')
      .addColumn('upgrade_id', 'integer', (col) => col.primaryKey().references('upgrade.id').onDelete('cascade'))
      .addColumn('profile', 'text', (col) => col.notNull())
      .addColumn('cache_dir', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();

    await schema
      .createTable('upgrade_run_job')
      .addColumn('upgrade_id', 'integer', (col) => col.notNull().references('upgrade_run.upgrade_id').onDelete('cascade'))
      .addColumn('file_name', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull().check(oneOf('kind', ['ap', 'controller'])))
      .addColumn('image_type', 'text')
      .addColumn('size', dialect.bigInteger)
      .addColumn('sha256', 'text')
      .addPrimaryKeyConstraint('upgrade_run_job_pkey', ['upgrade_id', 'file_name'])
      .execute();

    await schema
      .createTable('upgrade_run_ap')
      .addColumn('upgrade_id', 'integer', (col) => col.notNull().references('upgrade_run.upgrade_id').onDelete('cascade'))
      .addColumn('mac', 'text', (col) => col.notNull())
      .addColumn('pending_kinds', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('upgrade_run_ap_pkey', ['upgrade_id', 'mac'])
      .execute();

    // The activation of an upgrade: one row, and one per wave.
    await schema
      .createTable('rollout')
      .addColumn('upgrade_id', 'integer', (col) => col.primaryKey().references('upgrade.id'))
      .addColumn('strategy', 'text', (col) => col.notNull().check(oneOf('strategy', ['all', 'rolling'])))
      .addColumn('wave_percent', 'integer')
      .addColumn('wave_size', 'integer')
      .addColumn('error_threshold_percent', 'integer', (col) => col.notNull())
      .addColumn('window_end', 'text')
      .addColumn('state', 'text', (col) => col.notNull().check(oneOf('state', ['running', 'paused', 'aborted', 'finished'])))
      .addColumn('pause_reason', 'text')
      // The wave running now or the last one started; -1 before the first.
      .addColumn('current_wave', 'integer', (col) => col.notNull().defaultTo(-1))
      .addColumn('started_by', 'text')
      .addColumn('started_at', 'text', (col) => col.notNull())
      .addColumn('finished_at', 'text')
      .execute();

    await schema
      .createTable('rollout_wave')
      .addColumn('upgrade_id', 'integer', (col) => col.notNull().references('rollout.upgrade_id'))
      .addColumn('wave_index', 'integer', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(oneOf('state', ['pending', 'reloading', 'done'])))
      .addColumn('aps', 'text', (col) => col.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('failed', 'integer', (col) => col.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('rollout_wave_pkey', ['upgrade_id', 'wave_index'])
      .execute();

    // Save & Download or Activate set for later; kept until it runs or is cancelled.
    await dialect
      .autoId(schema.createTable('scheduled_action'), 'id')
      .addColumn('action', 'text', (col) => col.notNull().check(oneOf('action', ['download', 'activate'])))
      .addColumn('at', 'text', (col) => col.notNull())
      .addColumn('window_end', 'text')
      .addColumn('options', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull().check(oneOf('state', ['pending', 'started', 'cancelled', 'failed'])))
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('outcome', 'text')
      .execute();

    // Image files an admin trusted by their SHA-256, for sources whose files carry no vendor signature.
    await schema
      .createTable('trusted_image_digest')
      // 'desktop' for Desktop uploads, or an image server and path.
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('sha256', 'text', (col) => col.notNull().check(sql`length(sha256) = 64`))
      .addColumn('size', dialect.bigInteger, (col) => col.notNull())
      .addColumn('trusted_by', 'text', (col) => col.notNull())
      .addColumn('trusted_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('trusted_image_digest_pkey', ['source', 'name', 'sha256'])
      .execute();
  },
};
