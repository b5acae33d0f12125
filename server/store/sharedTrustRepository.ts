import type { SharedTrustTable, TrustedVendorKeyTable } from './schema';
import type { Executor } from './store';

/** `ca`: the CA's certificate and sealed key, as JSON; `fleet-join-token` and `cli-host-key` (the CLI's SSH host key, PEM): sealed. */
export type SharedTrustName = 'ca' | 'fleet-join-token' | 'cli-host-key';

/**
 * What the console nodes on one database share to admit the same APs. A value is written once, by the
 * first node to offer it; the others read the winner's (two nodes starting at once never both win).
 */
export const sharedTrustRows = {
  async all(db: Executor): Promise<Map<SharedTrustName, string>> {
    const rows = await db.selectFrom('shared_trust').select(['name', 'value']).execute();
    return new Map(rows.map((row) => [row.name as SharedTrustName, row.value]));
  },

  /** Offers these values; a name the database holds already keeps its value. */
  async offer(db: Executor, values: ReadonlyMap<SharedTrustName, string>): Promise<void> {
    const createdAt = new Date().toISOString();
    const rows: SharedTrustTable[] = [...values].map(([name, value]) => ({ name, value, created_at: createdAt }));
    if (rows.length === 0) return;
    await db
      .insertInto('shared_trust')
      .values(rows)
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  },

  /** Rewrites one value (a key rotation resealing it). */
  async replace(db: Executor, name: SharedTrustName, value: string): Promise<void> {
    await db.updateTable('shared_trust').set({ value }).where('name', '=', name).execute();
  },

  async vendorKeys(db: Executor): Promise<TrustedVendorKeyTable[]> {
    return db.selectFrom('trusted_vendor_key').selectAll().orderBy('added_at').orderBy('sha256').execute();
  },

  /** Adds the vendor keys the database does not hold yet. */
  async offerVendorKeys(db: Executor, keys: readonly { sha256: string; fileName: string; publicKeyPem: string }[]): Promise<void> {
    if (keys.length === 0) return;
    const addedAt = new Date().toISOString();
    await db
      .insertInto('trusted_vendor_key')
      .values(keys.map((key) => ({ sha256: key.sha256, file_name: key.fileName, public_key_pem: key.publicKeyPem, added_at: addedAt })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  },
};
