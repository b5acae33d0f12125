import { describeBackupReplacement, type BackupReplacement } from '../../lib/backupReplacement';
import { SaidError } from './saidError';

/** An action that the upgrade's current state does not allow (the API answers 409). */
export class UpgradeConflictError extends SaidError {}

/** A predownload that would overwrite backup images with the running version: refused until the admin confirms (409). */
export class BackupReplacementError extends UpgradeConflictError {
  constructor(readonly replacement: BackupReplacement) {
    super(describeBackupReplacement(replacement));
  }
}

/** How a predownload treats APs that already run the bundle's version. */
export interface PredownloadOptions {
  /** The admin confirmed that their backup image will be replaced by the running one. */
  replaceBackup?: boolean;
}
