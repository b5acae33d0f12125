import type { ApImageReport } from '../../lib/apImage';
import type { ImageDownloadProfileInput } from '../../lib/imageDownloadProfile';
import type { LoggingView } from '../../lib/loggingSettings';
import type { LoggingChange } from '../syslog/loggingService';
import type { SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import type { Role } from '../../lib/validations/authSchemas';

/** Who typed a command: the account of the SSH login and where it came from, as the audit trail records it. */
export interface CliActor {
  username: string;
  role: Role;
  /** `ADDRESS (ssh)`, so the audit trail tells CLI changes from the page's. */
  sourceAddress: string;
}

/**
 * Everything the CLI needs from the console, narrowed to what its commands do. createConsole fills it
 * with the same service calls the HTTP API makes, so a change typed here is audited, saved and pushed to
 * open pages exactly as one made on the page. Answers are lines to print; refusals start with `% `.
 */
export interface CliBackend {
  hostname(): string;
  /** Sets the prompt's host name, or back to the default with null; returns error lines. */
  setHostname(name: string | null, actor: CliActor): Promise<string[]>;
  /** Saves the fields named, as the page's Save does (the others keep their values); returns error lines, none when saved. */
  saveProfile(input: ImageDownloadProfileInput, actor: CliActor): Promise<string[]>;
  /** The profile as configuration lines, the text of Export configuration (SFTP password only as `aes …`). */
  profileConfig(): string;
  /** Save & Download with the saved profile; `replaceBackup` confirms that APs running its version lose their backup image. */
  predownload(actor: CliActor, options?: { replaceBackup?: boolean }): Promise<string[]>;
  /** IOS-XE 17.15's `ap image predownload site-tag NAME start`: Save & Download to the APs of that site tag. */
  predownloadSiteTag(actor: CliActor, siteTag: string): Promise<string[]>;
  /** `… site-tag NAME abort`: that site tag's predownload stops (the whole predownload when it was that site's alone). */
  abortSiteTag(actor: CliActor, siteTag: string): Promise<string[]>;
  /** Marks the predownloaded images for swapping; `reset` then activates them. */
  swap(actor: CliActor): string[];
  /** Reloads the APs onto the swapped images: the page's Activate. */
  reset(actor: CliActor): Promise<string[]>;
  /** `ap image predownload approve`: trusts the files of the unsigned bundle the upgrade holds, as shown (the page's Trust). */
  approveBundle(actor: CliActor): Promise<string[]>;
  /** The page's Cancel. */
  cancel(actor: CliActor): Promise<string[]>;
  /** `logging host …`, `logging trap …` and their `no` forms: the same rule as the page's Logging settings; returns error lines. */
  changeLogging(change: LoggingChange, actor: CliActor): Promise<string[]>;
  /** The syslog settings and each host's feed, for `show logging` and `show running-config`. */
  logging(): LoggingView;
  upgrade(): UpgradeView;
  apImage(): ApImageReport;
  syslog(): SyslogLine[];
  /** When the console started, for `show version`'s uptime. */
  startedAt: number;
}
