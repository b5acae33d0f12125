import type { ApImageSlots, ApStorage } from './apStorage';

/**
 * Boots the AP image held as backup: its file becomes the primary one and the version the AP ran
 * becomes its backup (whose digest the AP no longer knows). An activation's reload and a download at
 * join, which writes the image to the backup partition first, both end so.
 */
export function bootApBackupImage(storage: ApStorage, slots: ApImageSlots): ApImageSlots {
  storage.swap('ap');
  return { ...slots, primaryVersion: slots.backupVersion, backupVersion: slots.primaryVersion, backupSha256: null };
}
