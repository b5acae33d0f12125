import type { useTranslations } from 'next-intl';
import type { ActivationPreview, CancelPreview } from '@/lib/actionPreview';
import type { ActivateRequest, ScheduledView } from '@/lib/rollout';
import { formatDateTime, localTimeZone } from '@/lib/dateTime';

/** What a confirmation says: a title naming the action, then what will happen, one sentence a line. */
export interface ConfirmText {
  title: string;
  lines: string[];
  confirm: string;
  keep: string;
}

/** The `confirm` catalogue; plural agreement (`1 AP reloads`, `2 APs reload`) is each language's ICU plural. */
export type ConfirmTranslate = ReturnType<typeof useTranslations<'confirm'>>;

/**
 * A scheduled time as the controller reads it and, when its zone differs, as this browser does:
 * a maintenance window is planned on the controller's clock.
 */
export function bothZonesText(t: ConfirmTranslate, value: string | Date, controllerZone: string): string {
  const browserZone = localTimeZone();
  const controller = formatDateTime(value, { timeZone: controllerZone });
  if (browserZone === controllerZone) return t('controllerZone', { controller, controllerZone });
  return t('bothZones', { controller, controllerZone, browser: formatDateTime(value), browserZone });
}

function waveWords(t: ConfirmTranslate, preview: ActivationPreview, options: Partial<ActivateRequest>): string {
  const version = preview.targetVersion ?? t('thePredownloadedImage');
  const count = preview.apCount;
  if (preview.strategy === 'all') return t('allAtOnce', { count, version });
  const sizing = options.waveSize !== undefined ? t('sizingCount', { count: options.waveSize }) : t('sizingPercent', { percent: options.wavePercent ?? 25 });
  return t('rolling', { count, waveCount: preview.waves.length, sizes: preview.waves.join(', '), sizing, version, threshold: options.errorThresholdPercent ?? 0 });
}

/** Activate, now or at a time: how many APs reload, in how many waves, on which version. */
export function activationText(t: ConfirmTranslate, preview: ActivationPreview, options: Partial<ActivateRequest>, controllerTimeZone: string): ConfirmText {
  const zones = (value: string) => bothZonesText(t, value, controllerTimeZone);
  const scheduled = { confirm: t('scheduleConfirm'), keep: t('notNow') };
  if (options.at && preview.apCount === 0) {
    const lines = [t('scheduledNone', { time: zones(options.at) })];
    if (options.windowEnd) lines.push(t('noWaveAfter', { time: zones(options.windowEnd) }));
    return { title: t('scheduleTitle'), lines, ...scheduled };
  }
  const lines = [waveWords(t, preview, options), t('outOfService')];
  if (preview.targetControllerVersion) {
    const version = preview.targetControllerVersion;
    // The controller runs on the AP that hosts it: it changes version only if that AP reloads into the new one.
    if (preview.controllerApReloads) lines.push(t(preview.strategy === 'rolling' ? 'controllerApReloadsLast' : 'controllerApReloadsWith', { version }));
    else lines.push(t(preview.controllerHosted ? 'controllerApStays' : 'controllerNotHosted', { version }));
  }
  const { excluded, notComplete } = preview;
  if (excluded > 0) lines.push(t('excluded', { count: excluded, version: preview.targetVersion ?? t('theNewImage') }));
  if (notComplete > 0) lines.push(t('notComplete', { count: notComplete }));
  if (options.at) {
    lines.unshift(t('scheduledAsOfNow', { time: zones(options.at) }));
    if (options.windowEnd) lines.push(t('noWaveAfter', { time: zones(options.windowEnd) }));
    return { title: preview.upgradeId !== null ? t('scheduleTitleOf', { id: preview.upgradeId }) : t('scheduleTitle'), lines, ...scheduled };
  }
  if (options.windowEnd) lines.push(t('noWaveAfter', { time: zones(options.windowEnd) }));
  return { title: t('activateTitle', { id: String(preview.upgradeId), count: preview.apCount }), lines, confirm: t('activateNow'), keep: t('notNow') };
}

/** Cancel: what stops, what is kept, and that nothing reloads. */
export function cancelText(t: ConfirmTranslate, preview: CancelPreview): ConfirmText {
  return {
    title: t('cancelTitle', { id: preview.upgradeId }),
    lines: [t('cancelStopping', { count: preview.stopping }), t('cancelCompleted', { count: preview.completed, version: preview.targetVersion ?? t('theNewImage') }), t('cancelNothingReloads')],
    confirm: t('cancelConfirm'),
    keep: t('keepDownloading'),
  };
}

/** Cancel schedule: which action, when it was due, and who set it. */
export function scheduleCancelText(t: ConfirmTranslate, actionName: string, item: ScheduledView, controllerTimeZone: string): ConfirmText {
  const time = bothZonesText(t, item.at, controllerTimeZone);
  return {
    title: t('scheduleCancelTitle', { action: actionName }),
    lines: [
      item.windowEnd ? t('scheduleDueWindow', { time, windowEnd: bothZonesText(t, item.windowEnd, controllerTimeZone), user: item.createdBy }) : t('scheduleDue', { time, user: item.createdBy }),
      t(item.action === 'download' ? 'scheduleWontRunDownload' : 'scheduleWontRunActivate'),
    ],
    confirm: t('scheduleCancelConfirm'),
    keep: t('keepIt'),
  };
}
