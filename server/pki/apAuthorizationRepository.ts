import type { ApAuthorizationStatus, EnrolmentTokenView } from '../../lib/apAuthorization';
import type { Db } from '../store/database';

export interface ApAuthorizationRecord {
  mac: string;
  status: ApAuthorizationStatus;
  certSerial: string;
  certFingerprint: string;
  certExpiresAt: string;
  enrolledVia: 'join-token' | 'enrolment-token';
  enrolledAt: string;
  enrolledFrom: string;
  changedAt: string;
  changedBy: string;
}

const AUTH_COLUMNS = `mac, status, cert_serial AS certSerial, cert_fingerprint AS certFingerprint, cert_expires_at AS certExpiresAt,
  enrolled_via AS enrolledVia, enrolled_at AS enrolledAt, enrolled_from AS enrolledFrom, changed_at AS changedAt, changed_by AS changedBy`;
const TOKEN_COLUMNS = `id, mac, created_by AS createdBy, created_at AS createdAt, expires_at AS expiresAt, used_at AS usedAt, used_by_mac AS usedByMac`;

const INSERT_ENROLMENT = `INSERT INTO ap_authorization (mac, status, cert_serial, cert_fingerprint, cert_expires_at, enrolled_via, enrolled_at, enrolled_from, changed_at, changed_by)
  VALUES (@mac, @status, @certSerial, @certFingerprint, @certExpiresAt, @enrolledVia, @enrolledAt, @enrolledFrom, @changedAt, @changedBy)
  ON CONFLICT (mac)`;
const REPLACE_ENROLMENT = `DO UPDATE SET status = excluded.status, cert_serial = excluded.cert_serial, cert_fingerprint = excluded.cert_fingerprint,
  cert_expires_at = excluded.cert_expires_at, enrolled_via = excluded.enrolled_via, enrolled_at = excluded.enrolled_at,
  enrolled_from = excluded.enrolled_from, changed_at = excluded.changed_at, changed_by = excluded.changed_by`;

/**
 * The AP authorization list and the one-time enrolment tokens, in SQLite. The statements every
 * join and enrolment runs are prepared once: a campus of APs joining at once runs them thousands of times.
 */
export class ApAuthorizationRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      get: db.prepare(`SELECT ${AUTH_COLUMNS} FROM ap_authorization WHERE mac = ?`),
      enrol: db.prepare(`${INSERT_ENROLMENT} DO NOTHING`),
      reenrol: db.prepare(`${INSERT_ENROLMENT} ${REPLACE_ENROLMENT}`),
    };
  }

  get(mac: string): ApAuthorizationRecord | undefined {
    return this.statements.get.get(mac) as ApAuthorizationRecord | undefined;
  }

  all(): ApAuthorizationRecord[] {
    return this.db.prepare(`SELECT ${AUTH_COLUMNS} FROM ap_authorization ORDER BY mac`).all() as ApAuthorizationRecord[];
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM ap_authorization').pluck().get() as number;
  }

  /** Records a new certificate for the MAC, replacing the previous one only when `replace`; false when the MAC was taken. */
  saveEnrolment(record: ApAuthorizationRecord, replace: boolean): boolean {
    return (replace ? this.statements.reenrol : this.statements.enrol).run(record).changes === 1;
  }

  setStatus(mac: string, status: ApAuthorizationStatus, by: string): boolean {
    return this.db.prepare('UPDATE ap_authorization SET status = ?, changed_at = ?, changed_by = ? WHERE mac = ?').run(status, new Date().toISOString(), by, mac).changes === 1;
  }

  delete(mac: string): boolean {
    return this.db.prepare('DELETE FROM ap_authorization WHERE mac = ?').run(mac).changes === 1;
  }

  createToken(tokenHash: string, mac: string | null, createdBy: string, expiresAt: string): EnrolmentTokenView {
    const info = this.db
      .prepare('INSERT INTO ap_enrolment_token (token_hash, mac, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(tokenHash, mac, createdBy, new Date().toISOString(), expiresAt);
    return this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM ap_enrolment_token WHERE id = ?`).get(info.lastInsertRowid) as EnrolmentTokenView;
  }

  tokens(): EnrolmentTokenView[] {
    return this.db.prepare(`SELECT ${TOKEN_COLUMNS} FROM ap_enrolment_token ORDER BY id DESC LIMIT 200`).all() as EnrolmentTokenView[];
  }

  /** Marks an unused, unexpired token (bound to this MAC or to none) as used by it; false when there is no such token. One use only, even under a race. */
  consumeToken(tokenHash: string, mac: string): boolean {
    const now = new Date().toISOString();
    return (
      this.db
        .prepare('UPDATE ap_enrolment_token SET used_at = ?, used_by_mac = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? AND (mac IS NULL OR mac = ?)')
        .run(now, mac, tokenHash, now, mac).changes === 1
    );
  }

  deleteToken(id: number): boolean {
    return this.db.prepare('DELETE FROM ap_enrolment_token WHERE id = ?').run(id).changes === 1;
  }
}
