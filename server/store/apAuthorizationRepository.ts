import type { ApAuthorizationStatus, EnrolmentTokenView } from '../../lib/apAuthorization';
import type { ApAuthorizationTable, ApEnrolmentTokenTable } from './schema';
import type { Executor } from './store';

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

const fromRow = (row: ApAuthorizationTable): ApAuthorizationRecord => ({
  mac: row.mac,
  status: row.status,
  certSerial: row.cert_serial,
  certFingerprint: row.cert_fingerprint,
  certExpiresAt: row.cert_expires_at,
  enrolledVia: row.enrolled_via,
  enrolledAt: row.enrolled_at,
  enrolledFrom: row.enrolled_from,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
});

const toRow = (record: ApAuthorizationRecord): ApAuthorizationTable => ({
  mac: record.mac,
  status: record.status,
  cert_serial: record.certSerial,
  cert_fingerprint: record.certFingerprint,
  cert_expires_at: record.certExpiresAt,
  enrolled_via: record.enrolledVia,
  enrolled_at: record.enrolledAt,
  enrolled_from: record.enrolledFrom,
  changed_at: record.changedAt,
  changed_by: record.changedBy,
});

type TokenRow = Omit<ApEnrolmentTokenTable, 'id'> & { id: number };

const tokenView = (row: TokenRow): EnrolmentTokenView => ({
  id: row.id,
  mac: row.mac,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  usedByMac: row.used_by_mac,
});

const REPLACED = ['status', 'cert_serial', 'cert_fingerprint', 'cert_expires_at', 'enrolled_via', 'enrolled_at', 'enrolled_from', 'changed_at', 'changed_by'] as const;

/** The AP authorization list and the one-time enrolment tokens. */
export const apAuthorizationRows = {
  async get(db: Executor, mac: string): Promise<ApAuthorizationRecord | undefined> {
    const row = await db.selectFrom('ap_authorization').selectAll().where('mac', '=', mac).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  },

  async all(db: Executor): Promise<ApAuthorizationRecord[]> {
    return (await db.selectFrom('ap_authorization').selectAll().orderBy('mac').execute()).map(fromRow);
  },

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('ap_authorization')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  },

  /** Records a new certificate for the MAC, replacing the previous one only when `replace`; false when the MAC was taken. */
  async saveEnrolment(db: Executor, record: ApAuthorizationRecord, replace: boolean): Promise<boolean> {
    const row = toRow(record);
    const result = await db
      .insertInto('ap_authorization')
      .values(row)
      .onConflict((conflict) => {
        const onMac = conflict.column('mac');
        return replace ? onMac.doUpdateSet(Object.fromEntries(REPLACED.map((column) => [column, row[column]]))) : onMac.doNothing();
      })
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows) === 1;
  },

  async setStatus(db: Executor, mac: string, status: ApAuthorizationStatus, by: string): Promise<boolean> {
    const result = await db.updateTable('ap_authorization').set({ status, changed_at: new Date().toISOString(), changed_by: by }).where('mac', '=', mac).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async delete(db: Executor, mac: string): Promise<boolean> {
    const result = await db.deleteFrom('ap_authorization').where('mac', '=', mac).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },

  async createToken(db: Executor, tokenHash: string, mac: string | null, createdBy: string, expiresAt: string): Promise<EnrolmentTokenView> {
    const row = await db
      .insertInto('ap_enrolment_token')
      .values({ token_hash: tokenHash, mac, created_by: createdBy, created_at: new Date().toISOString(), expires_at: expiresAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    return tokenView(row);
  },

  async tokens(db: Executor): Promise<EnrolmentTokenView[]> {
    return (await db.selectFrom('ap_enrolment_token').selectAll().orderBy('id', 'desc').limit(200).execute()).map(tokenView);
  },

  /** Marks an unused, unexpired token (bound to this MAC or to none) as used by it; false when there is no such token. One use only, even under a race. */
  async consumeToken(db: Executor, tokenHash: string, mac: string): Promise<boolean> {
    const now = new Date().toISOString();
    const result = await db
      .updateTable('ap_enrolment_token')
      .set({ used_at: now, used_by_mac: mac })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where((eb) => eb.or([eb('mac', 'is', null), eb('mac', '=', mac)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async deleteToken(db: Executor, id: number): Promise<boolean> {
    const result = await db.deleteFrom('ap_enrolment_token').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },
};
