import { IntlMessageFormat } from 'intl-messageformat';
import { z } from 'zod';

/**
 * The sentences the server writes about an upgrade (its message and its result), each under a stable
 * code with its English words as an ICU template. The server writes the English (API, CLI, syslog and
 * history CSV keep it word for word: scripts and engineers grep it) and keeps the code and parameters
 * beside it; the page says the code's sentence in its own language (the `serverSentences` catalogue,
 * whose English entries must equal these templates: the catalogue test holds them to it).
 *
 * Parameters are text or whole numbers, and numbers are written as the server writes them ("1234", no
 * grouping), so the English a page renders is the English the server wrote. A list parameter holds
 * sentences that are each written after "; " (the rest of a network's outcome), or joined by "; " (`changes`).
 */
export const SERVER_SENTENCES = {
  predownloadEveryAp: 'Predownload from {imageUrl} to every AP',
  /** `targets` is the targets' own words (site tags, image types, models: device values). */
  predownloadTargets: 'Predownload from {imageUrl} to {targets}',
  supersededBefore: 'Superseded by upgrade {id} before it was activated',
  predownloadComplete: 'Predownload of {version} complete on {count} AP(s). Activate to reload the network.',
  noApConnected: 'No AP is connected: nothing to predownload.',
  predownloadFailedAps: '{failed} AP(s) failed to predownload. Fix the cause shown in the log, then Save & Download again.',
  noApSupportsBundle: 'No AP supports the images of this bundle. Fix the cause shown in the log, then Save & Download again.',
  /** `reason` is what the image server or the bundle answered. */
  bundleVersionUnreadable: "{reason}. The bundle's version cannot be read: check the image server and path, then Save & Download again.",
  internalError: 'Internal error: {detail}',
  predownloadCancelled: 'Predownload cancelled by the administrator',
  /** `why` says what of the saved run was missing or unreadable (the store's words). */
  restartInterrupted: 'Predownload interrupted: the controller restarted and {why}. Save & Download to start again.',
  reloadingAllAtOnce: 'Reloading the network to {version} all at once',
  reloadingInWaves: 'Reloading the network to {version} in waves',
  activationAborted: 'Activation aborted: {joined} AP(s) run {version}, {failed} failed, {waiting} still run the old version with {version} as backup image',
  reloadFailedAps: '{failed} AP(s) did not come back running {version}',
  networkCompleted: '{running} of {total} {total, plural, one {AP} other {APs}} {running, plural, one {runs} other {run}} {version}{others}; controller running {controllerVersion}',
  stillRunsNotSupported: '{count} not supported by the release still {count, plural, one {runs} other {run}} {version}',
  stillRunsFailed: '{count} failed still {count, plural, one {runs} other {run}} {version}',
  stillRunsNotActivated: '{count} not activated still {count, plural, one {runs} other {run}} {version}',
  stillRunsAborted: '{count} aborted still {count, plural, one {runs} other {run}} {version}',
  stillRunsReloading: '{count} still reloading still {count, plural, one {runs} other {run}} {version}',
  stillRunsNotPredownloaded: '{count} not predownloaded still {count, plural, one {runs} other {run}} {version}',
  resultCompletedOn: 'Completed on {running} of {total} APs',
  resultSupersededBy: 'Superseded by upgrade {id}',

  // The last catalog check's sentence and each image type's line (Check for New Version).
  catalogNotChecked: 'Not checked yet: press Check for New Version.',
  catalogNoUrl: 'No catalog URL: fill the CCO settings and save them first.',
  /** `reason` is the catalog's or the network's own words. */
  catalogCheckFailed: 'Failed to check for new version at {url}: {reason}',
  catalogNoAp: 'No AP has joined: nothing to check.',
  catalogUpToDate: 'Already running the latest release for every image type.',
  catalogNewVersion: 'New version available: latest {latest}, recommended {recommended}, for {newer} of {total} image types.',
  catalogNewVersionNoRecommended: 'New version available: latest {latest}, recommended none, for {newer} of {total} image types.',
  noteNotSupported: 'Not Supported: the catalog has no release for image type {imageType}',
  noteLatest: 'Already running the latest release {version}',
  noteJoinedAfterCheck: 'Joined after the last check: press Check for New Version',
  /** `changes` is a list of the fleetType… sentences below. */
  fleetChanged: 'The fleet changed since this check: {changes}. Statuses are for what runs now; the releases are those the catalog offered at the check.',
  fleetChangedApCounts: 'The fleet changed since this check (APs joined or left). Statuses are for what runs now; the releases are those the catalog offered at the check.',
  fleetTypeJoined: '{imageType} joined',
  fleetTypeRuns: '{imageType} runs {version} (was {before})',
  fleetTypeLeft: '{imageType} left',

  // Refusals of the API that the page shows as they come: `error` keeps these words, `code` and `params` follow.
  loginIncomplete: 'Enter a user name and a password',
  logInFirst: 'Log in first: this console needs a session.',
  monitorReadOnly: 'Your role (monitor) can look but not change anything: ask an admin.',
  apNotOnList: 'AP {mac} is not on the AP authorization list',
  apChangeInvalid: 'Invalid change',
  enrolmentTokenInvalid: 'Invalid enrolment token',
  tokenIdInvalid: 'Not a token id',
  noEnrolmentToken: 'No enrolment token {id}',
  noUser: 'No user {username}',
  publicKeyInvalid: 'Invalid public key',
  sshKeyExists: '{username} already has this key',
  noSshKey: 'No such key for {username}',
  sshKeyUnreadable: 'Not an SSH public key: paste a line like "ssh-ed25519 AAAA… user@host"',
  sshKeyIsPrivate: 'That is a private key: paste the public key (the .pub file) instead',

  // Refusals of the upgrade's commands (Save & Download, Cancel, Activate and the activation's controls, per-AP actions, schedules).
  /** `stage` is the stage bar's English label. */
  upgradeBusy: 'An upgrade is already in progress (stage {stage}). Cancel it or wait for it to finish.',
  controllerStopping: 'The controller is stopping: nothing was started.',
  nothingToPredownload: 'Nothing to predownload: every targeted AP already runs {version}',
  /** `server` is host:port, `fingerprint` the key's SHA-256 fingerprint. */
  hostKeyNotTrusted: 'The host key of {server} is not trusted yet. Check its fingerprint {fingerprint} and trust it to download.',
  activateNotReady: 'Activate is possible once every AP has completed its predownload.',
  everyApExcluded: 'Every AP is excluded from activation: nothing to reload.',
  upgradeChangedState: 'The upgrade changed state; try again.',
  noPredownloadInProgress: 'No predownload is in progress.',
  siteTagNoPredownload: 'No AP of site tag {siteTag} has a predownload in progress.',
  noActivationInProgress: 'No activation is in progress.',
  activationNotRunning: 'The activation is not running.',
  activationNotPaused: 'The activation is not paused.',
  scheduleNotPending: 'Scheduled action {id} is not pending.',
  scheduleStarting: 'Scheduled action {id} is starting now.',
  noSuchAp: 'No AP {mac}.',
  /** `status` is the AP's predownload status as IOS prints it. */
  apNotFailed: '{name} has not failed (it is {status}).',
  apNoPredownload: '{name} has no predownload under way (it is {status}).',
  apReloadingAlready: '{name} is reloading already.',
  apNotInPredownload: '{name} is not part of a predownload in progress.',

  // Refusals of Retry now and Abort for a download at join (an AP that joined with another version).
  atJoinNoProfile: 'No image download profile is saved: {name} is given no image at join.',
  atJoinVersionUnknown: "The controller's AP image version is unknown (no AP hosting the controller has joined): {name} is given no image yet.",
  atJoinNotConnected: "{name} is not connected: it is given the controller's version ({version}) when it joins again.",
  atJoinPredownloadFirst: "A predownload is in progress (upgrade {id}) and takes precedence: {name} is given the controller's version when it joins after it.",
  atJoinActivationFirst: "An activation is in progress (upgrade {id}): {name} is given the controller's version when it ends.",
  atJoinRunsVersion: "{name} runs the controller's version ({version}) already: there is nothing to download.",
  atJoinNotFailed: '{name} has not failed.',
  atJoinNoDownload: '{name} has no image download under way (it is {status}).',
  atJoinNoDownloadNow: '{name} has no image download under way.',

  // Refusals of a trust decision (an unsigned bundle's approval, an upload's Trust this image).
  noBundleWaiting: 'No bundle is waiting for approval: nothing was trusted.',
  uploadGone: 'The uploaded image is not on the controller: upload it again',
  uploadDigestMismatch: "The uploaded image's SHA-256 is {actual}, not {given}: compare it again before trusting it",

  // Why an activation paused (after "paused: " on the page, in the log line after "activation paused: ").
  pausedByAdmin: 'paused by the administrator',
  pausedWindowEnded: 'the maintenance window ended at {windowEnd}; wave {wave} of {waves} waits',
  pausedErrorThreshold: '{failed} of {size} AP(s) of wave {wave} failed, more than the error threshold of {threshold} %',
} as const;

export type SentenceCode = keyof typeof SERVER_SENTENCES;

export function isSentenceCode(value: unknown): value is SentenceCode {
  return typeof value === 'string' && Object.hasOwn(SERVER_SENTENCES, value);
}

const scalar = z.union([z.string(), z.number()]);
/** One sentence inside a list parameter. The code is any text: a row written by another version may carry one this page does not know. */
const innerSentenceSchema = z.object({ code: z.string(), params: z.record(z.string(), scalar) });
/** A sentence as it crosses to the page and sits in the store. */
export const sentenceSchema = z.object({ code: z.string(), params: z.record(z.string(), z.union([scalar, z.array(innerSentenceSchema)])) });
export type Sentence = z.output<typeof sentenceSchema>;
export type SentenceItem = z.output<typeof innerSentenceSchema>;

/** The sentence with this code; typed so the server cannot name a code that has no English. */
export function sentence(code: SentenceCode, params: Sentence['params'] = {}): Sentence {
  return { code, params };
}

/** A sentence for a list parameter: its own parameters are text or numbers only. */
export function sentenceItem(code: SentenceCode, params: SentenceItem['params']): SentenceItem {
  return { code, params };
}

/** Says one sentence's code with flat parameters in some language, or null when that language has no such code. */
export type SayOne = (code: string, params: Record<string, string>) => string | null;

const LIST_SEPARATOR = '; ';
/** List parameters written as "a; b" after the template's own words; any other list is the rest of a sentence, each item after "; ". */
const JOINED_LISTS: ReadonlySet<string> = new Set(['changes']);

/** Numbers go in as text: ICU would group them ("1,234"), and the server never did. Plurals still select on them. */
function asText(params: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)]));
}

/** The sentence in the language `say` speaks, or null when any of its codes is unknown there (the caller shows the English it has). */
export function renderSentence(value: Sentence, say: SayOne): string | null {
  const flat: Record<string, string> = {};
  for (const [name, param] of Object.entries(value.params)) {
    if (!Array.isArray(param)) {
      flat[name] = String(param);
      continue;
    }
    const items = param.map((item) => say(item.code, asText(item.params)));
    if (items.some((item) => item === null)) return null;
    flat[name] = JOINED_LISTS.has(name) ? items.join(LIST_SEPARATOR) : items.map((item) => `${LIST_SEPARATOR}${item}`).join('');
  }
  return say(value.code, flat);
}

const ENGLISH = new Map<string, IntlMessageFormat>();

const sayEnglish: SayOne = (code, params) => {
  if (!isSentenceCode(code)) return null;
  let format = ENGLISH.get(code);
  if (!format) ENGLISH.set(code, (format = new IntlMessageFormat(SERVER_SENTENCES[code], 'en')));
  return String(format.format(params));
};

/**
 * An API refusal's body: the English `error` as scripts know it (then anything else it says), then the
 * code and its parameters (added after it, and the parameters only when there are some) for the page to say it in its language.
 */
export function refusalBody<Extra extends object = object>(said: Sentence, extra?: Extra): { error: string; code: string; params?: Sentence['params'] } & Extra {
  const coded = Object.keys(said.params).length > 0 ? { code: said.code, params: said.params } : { code: said.code };
  return { error: englishOf(said), ...(extra as Extra), ...coded };
}

/** The English the server writes for a sentence (API, CLI, syslog, history). */
export function englishOf(value: Sentence): string {
  const text = renderSentence(value, sayEnglish);
  if (text === null) throw new Error(`No English for the sentence ${value.code}`);
  return text;
}
