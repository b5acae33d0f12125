import fs from 'node:fs';
import { ProfileRepository } from '../store/profileRepository';
import { resealSharedTrust } from '../pki/sharedTrust';
import { openStore, type StoreTarget } from '../store/store';
import { UpgradeRunRepository } from '../store/upgradeRunRepository';
import { loadSecretBox, SecretBox, secretKeyFile, writeSecretKeyFile } from '../secrets/secretBox';

export interface RotationResult {
  resealed: number;
  /** Where the new key went: the key file, or nowhere (the caller prints it for EWC_SECRET_KEY). */
  keyFile: string | null;
}

/**
 * Re-encrypts every stored secret with `nextKey` in one transaction. With a key file, the new key is
 * written beside the old one before the database changes and moved over it after, so no state leaves
 * secrets sealed with a key that is nowhere on disk.
 */
export async function rotateSecretKey(dataDir: string, envKey: string | undefined, nextKey: Buffer, database: StoreTarget = { engine: 'sqlite', dataDir }): Promise<RotationResult> {
  const { box: current } = loadSecretBox(dataDir, envKey);
  const next = new SecretBox(nextKey);
  const keyFile = envKey ? null : secretKeyFile(dataDir);
  const staged = keyFile ? `${keyFile}.new` : null;
  if (staged) writeSecretKeyFile(staged, nextKey);
  const store = await openStore(database).catch((error: unknown) => {
    if (staged) fs.rmSync(staged, { force: true });
    throw error;
  });
  try {
    // The profile, the snapshot a running upgrade resumes with after a restart and a shared database's CA key and join token, in one transaction.
    const resealed = await store.transaction(
      async (tx) => (await ProfileRepository.reseal(tx, current, next)) + (await UpgradeRunRepository.reseal(tx, current, next)) + (await resealSharedTrust(tx, current, next)),
    );
    if (keyFile && staged) fs.renameSync(staged, keyFile);
    return { resealed, keyFile };
  } catch (error) {
    if (staged) fs.rmSync(staged, { force: true });
    throw error;
  } finally {
    await store.close();
  }
}
