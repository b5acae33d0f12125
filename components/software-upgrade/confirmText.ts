import type { ActivationPreview, CancelPreview } from '@/lib/actionPreview';
import type { ActivateRequest, ScheduledView } from '@/lib/rollout';
import { bothZones } from '@/lib/dateTime';

/** What a confirmation says: a title naming the action, then what will happen, one sentence a line. */
export interface ConfirmText {
  title: string;
  lines: string[];
  confirm: string;
  keep: string;
}

const aps = (count: number) => `${count} AP${count === 1 ? '' : 's'}`;
/** The verb agreeing with a count: `one('keeps', 'keep')`. */
const verb = (count: number, singular: string, plural: string) => (count === 1 ? singular : plural);

function waveWords(preview: ActivationPreview, options: Partial<ActivateRequest>): string {
  const version = preview.targetVersion ?? 'the predownloaded image';
  const n = preview.apCount;
  if (preview.strategy === 'all') return `${aps(n)} ${verb(n, 'reloads', 'reload')} all at once and ${verb(n, 'boots', 'boot')} ${version}, the image each one predownloaded as its backup.`;
  const sizing = options.waveSize !== undefined ? `${aps(options.waveSize)} per wave` : `${options.wavePercent ?? 25} % of the APs per wave`;
  const threshold = options.errorThresholdPercent ?? 0;
  return (
    `${aps(n)} ${verb(n, 'reloads', 'reload')} in ${preview.waves.length} wave${preview.waves.length === 1 ? '' : 's'} of ${preview.waves.join(', ')} (rolling, ${sizing}) and ${verb(n, 'boots', 'boot')} ${version}; ` +
    `each wave starts once the one before has joined again, and the rollout pauses when more than ${threshold} % of a wave fails.`
  );
}

/** Activate, now or at a time: how many APs reload, in how many waves, on which version. */
export function activationText(preview: ActivationPreview, options: Partial<ActivateRequest>, controllerTimeZone: string): ConfirmText {
  if (options.at && preview.apCount === 0) {
    const lines = [`At ${bothZones(options.at, controllerTimeZone)}, the APs whose predownload is complete then reload. As of now no AP has completed a predownload: none would reload.`];
    if (options.windowEnd) lines.push(`No wave starts after ${bothZones(options.windowEnd, controllerTimeZone)}.`);
    return { title: 'Schedule Activate?', lines, confirm: 'Schedule activation', keep: 'Not now' };
  }
  const lines = [waveWords(preview, options), 'Each AP is out of service while it reloads.'];
  if (preview.targetControllerVersion) {
    lines.push(
      preview.controllerApReloads
        ? `The AP that hosts the controller reloads ${preview.strategy === 'rolling' ? 'in the last wave' : 'with them'}; the controller then runs ${preview.targetControllerVersion}.`
        : `The controller switches to ${preview.targetControllerVersion}.`,
    );
  }
  const { excluded, notComplete } = preview;
  if (excluded > 0)
    lines.push(
      `${aps(excluded)} excluded from activation ${verb(excluded, 'keeps', 'keep')} ${preview.targetVersion ?? 'the new image'} as backup image and ${verb(excluded, 'does', 'do')} not reload.`,
    );
  if (notComplete > 0) lines.push(`${aps(notComplete)} of this upgrade did not complete the predownload and ${verb(notComplete, 'does', 'do')} not reload.`);
  if (options.at) {
    lines.unshift(`At ${bothZones(options.at, controllerTimeZone)}, the APs whose predownload is complete then reload. As of now:`);
    if (options.windowEnd) lines.push(`No wave starts after ${bothZones(options.windowEnd, controllerTimeZone)}.`);
    return { title: `Schedule Activate${preview.upgradeId !== null ? ` of upgrade ${preview.upgradeId}` : ''}?`, lines, confirm: 'Schedule activation', keep: 'Not now' };
  }
  if (options.windowEnd) lines.push(`No wave starts after ${bothZones(options.windowEnd, controllerTimeZone)}.`);
  return { title: `Activate upgrade ${preview.upgradeId}: reload ${aps(preview.apCount)}?`, lines, confirm: 'Activate now', keep: 'Not now' };
}

/** Cancel: what stops, what is kept, and that nothing reloads. */
export function cancelText(preview: CancelPreview): ConfirmText {
  const version = preview.targetVersion ?? 'the new image';
  return {
    title: `Cancel the predownload of upgrade ${preview.upgradeId}?`,
    lines: [
      `The transfers stop: ${aps(preview.stopping)} still predownloading or waiting to retry ${verb(preview.stopping, 'drops its', 'drop their')} partial image and ${verb(preview.stopping, 'shows', 'show')} Aborted.`,
      `${aps(preview.completed)} that completed ${verb(preview.completed, 'keeps', 'keep')} ${version} as backup image.`,
      'Nothing reloads: every AP keeps running its current image. The upgrade ends Cancelled; Save & Download starts a new one.',
    ],
    confirm: 'Cancel the predownload',
    keep: 'Keep downloading',
  };
}

/** Cancel schedule: which action, when it was due, and who set it. */
export function scheduleCancelText(item: ScheduledView, controllerTimeZone: string): ConfirmText {
  const action = item.action === 'download' ? 'Save & Download' : 'Activate';
  const window = item.windowEnd ? `, its window ending ${bothZones(item.windowEnd, controllerTimeZone)}` : '';
  return {
    title: `Cancel the scheduled ${action}?`,
    lines: [
      `It is due at ${bothZones(item.at, controllerTimeZone)}${window}; ${item.createdBy} set it.`,
      `It will not run: ${item.action === 'download' ? 'no predownload starts' : 'no AP reloads'} then. Nothing else changes.`,
    ],
    confirm: 'Cancel the schedule',
    keep: 'Keep it',
  };
}
