/**
 * The one way the page writes a moment: `YYYY-MM-DD HH:MM:SS`, 24-hour, in one time zone (the
 * browser's unless another is named). Every surface uses it (the AP table, the schedules, the history,
 * Check for New Version, the audit trail) and states the zone where a reader could take it for another:
 * next to the time, or once in the column or panel. Syslog lines are the exception: the page's log view
 * and the CLI's `show logging` both print IOS-XE's own `*Feb  1 17:05:37.108` in UTC (lib/iosTime.ts),
 * the form engineers grep for and scripts parse.
 */
export interface DateTimeOptions {
  /** IANA name, e.g. `Europe/Paris`; the browser's (or the process's) zone when absent. */
  timeZone?: string;
  /** `.123` after the seconds. */
  millis?: boolean;
}

type Part = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fractionalSecond';

function parts(date: Date, options: DateTimeOptions): Record<Part, string> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    fractionalSecondDigits: 3,
  });
  const found = { year: '', month: '', day: '', hour: '', minute: '', second: '', fractionalSecond: '' };
  for (const part of format.formatToParts(date)) if (part.type in found) found[part.type as Part] = part.value;
  return found;
}

function toDate(value: string | Date): Date | null {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `2026-12-06 07:11:39` (or `…:39.108`); text that is not a time is returned as it is. */
export function formatDateTime(value: string | Date, options: DateTimeOptions = {}): string {
  const date = toDate(value);
  if (!date) return String(value);
  const p = parts(date, options);
  return `${p.year}-${p.month}-${p.day} ${formatTimeParts(p, options)}`;
}

/** `07:11:39`: the time part alone, for a moment minutes away (a retry). */
export function formatClock(value: string | Date, options: DateTimeOptions = {}): string {
  const date = toDate(value);
  return date ? formatTimeParts(parts(date, options), options) : String(value);
}

function formatTimeParts(p: Record<Part, string>, options: DateTimeOptions): string {
  return `${p.hour}:${p.minute}:${p.second}${options.millis ? `.${p.fractionalSecond}` : ''}`;
}

/** The zone times are shown in when none is named: the browser's in a page, the process's elsewhere. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `2026-12-06 07:11:39 Europe/Paris`: a time with its zone, where the zone is not said nearby. */
export function formatDateTimeWithZone(value: string | Date, options: DateTimeOptions = {}): string {
  const formatted = formatDateTime(value, options);
  return toDate(value) ? `${formatted} ${options.timeZone ?? localTimeZone()}` : formatted;
}

/**
 * A scheduled time as the controller reads it and, when its zone differs, as this browser does:
 * a maintenance window is planned on the controller's clock.
 */
export function bothZones(value: string | Date, controllerTimeZone: string): string {
  const browserZone = localTimeZone();
  const controller = `${formatDateTime(value, { timeZone: controllerTimeZone })} (controller, ${controllerTimeZone})`;
  return browserZone === controllerTimeZone ? controller : `${controller} · ${formatDateTime(value)} (this browser, ${browserZone})`;
}
