import { z } from 'zod';
import type { Sentence } from './serverSentences';
import { apImageFilter } from './apImageQuery';
import { macDigits, macSchema } from './macAddress';

/**
 * What Activate and Save & Download accept beside the profile, and what the page shows of a
 * rollout: shared by the API, the scheduler and the page.
 */
export const WAVE_PERCENTS = [5, 15, 25] as const;
export const ROLLOUT_STRATEGIES = ['all', 'rolling'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

const isoTime = (name: string) => z.iso.datetime({ offset: true, message: `${name} is an ISO 8601 time with a time zone, like 2026-12-01T02:00:00Z` });

export const activateRequestSchema = z
  .object({
    strategy: z.enum(ROLLOUT_STRATEGIES).default('all'),
    wavePercent: z.union(WAVE_PERCENTS.map((p) => z.literal(p)) as [z.ZodLiteral<5>, z.ZodLiteral<15>, z.ZodLiteral<25>], { message: 'wavePercent is 5, 15 or 25' }).optional(),
    waveSize: z.number().int('waveSize must be a whole number').min(1, 'waveSize is at least 1').max(10_000).optional(),
    errorThresholdPercent: z.number().min(0, 'errorThresholdPercent is 0 to 100').max(100, 'errorThresholdPercent is 0 to 100').default(0),
    /** Start later, at this time. */
    at: isoTime('at').optional(),
    /** No new wave starts after this time; the rollout waits, paused, for Resume. */
    windowEnd: isoTime('windowEnd').optional(),
  })
  .strict()
  .refine((body) => !(body.at && body.windowEnd) || Date.parse(body.windowEnd) > Date.parse(body.at), { message: 'windowEnd must be after at', path: ['windowEnd'] });
export type ActivateRequest = z.output<typeof activateRequestSchema>;
/** Activation options without the start time: what a rollout runs with. */
export type ActivationOptions = Omit<ActivateRequest, 'at'>;

/** A site tag's name, as an AP reports it and a predownload names it. */
export const siteTagSchema = z.string().min(1, 'A site tag has a name').max(64, 'A site tag is 64 characters at most');

/** Which APs a predownload goes to; an empty or absent list does not narrow. */
export const predownloadTargetsSchema = z
  .object({
    siteTags: z.array(siteTagSchema).max(1000).optional(),
    imageTypes: z.array(z.string().min(1).max(32)).max(100).optional(),
    models: z.array(z.string().min(1).max(64)).max(1000).optional(),
    macs: z.array(macSchema).max(100_000).optional(),
    /** A name or MAC filter, as the AP table's search box. */
    q: z.string().max(64).optional(),
  })
  .strict();
export type PredownloadTargets = z.output<typeof predownloadTargetsSchema>;

/** IOS-XE 17.15's `ap image predownload site-tag NAME start`, as this console's targets: the APs of that site tag. */
export function siteTagTargets(siteTag: string): PredownloadTargets {
  return { siteTags: [siteTag] };
}

/** Whether a predownload's targets are exactly one site tag's APs: `… site-tag NAME abort` then ends the whole predownload. */
export function targetsAreSiteTag(targets: PredownloadTargets | null | undefined, siteTag: string): boolean {
  if (!targets || targets.siteTags?.length !== 1 || targets.siteTags[0] !== siteTag) return false;
  return !targets.imageTypes?.length && !targets.models?.length && !targets.macs?.length && !targets.q;
}

/** The download body's fields beside the profile. */
export const downloadExtrasSchema = z
  .object({
    targets: predownloadTargetsSchema.optional(),
    at: isoTime('at').optional(),
    /** The admin confirms that APs already running the bundle's version lose their backup image to it. */
    confirmReplaceBackup: z.boolean({ message: 'confirmReplaceBackup is true or false' }).optional(),
  })
  // A scheduled download cannot be confirmed for a fleet it has not seen: it leaves those APs out instead.
  .refine((body) => !(body.at && body.confirmReplaceBackup), {
    message: 'A scheduled download leaves out the APs that already run its version; confirmReplaceBackup applies to a download now',
    path: ['confirmReplaceBackup'],
  });

export const scheduleChangeSchema = z
  .object({ at: isoTime('at'), windowEnd: isoTime('windowEnd').nullable().optional() })
  .strict()
  .refine((body) => !body.windowEnd || Date.parse(body.windowEnd) > Date.parse(body.at), { message: 'windowEnd must be after at', path: ['windowEnd'] });

export type RolloutState = 'running' | 'paused' | 'aborted' | 'finished';
export type WaveState = 'pending' | 'reloading' | 'done';

export interface WaveMember {
  mac: string;
  name: string;
  /** Reloading, Joined (back on the new version), Failed, or Complete (not started). */
  status: string;
}

export interface WaveView {
  index: number;
  state: WaveState;
  aps: string[];
  startedAt: string | null;
  finishedAt: string | null;
  failed: number;
  joined: number;
  reloading: number;
  /** The wave's APs by name with their status: for the wave under way (or the last one), not for every wave. */
  members: WaveMember[] | null;
}

export interface RolloutView {
  state: RolloutState;
  /** Why it paused: the error threshold, the window end, or the administrator. */
  pauseReason: string | null;
  /** The pause reason as one of the server's sentences, for the page to say in its language; null for the admin's own words. */
  pauseSentence: Sentence | null;
  windowEnd: string | null;
  errorThresholdPercent: number;
  wavePercent: number | null;
  waveSize: number | null;
}

export type ScheduledActionName = 'download' | 'activate';

export interface ScheduledView {
  id: number;
  action: ScheduledActionName;
  at: string;
  windowEnd: string | null;
  createdBy: string;
}

/** The fields a predownload's targets select on. */
export interface TargetFields {
  name: string;
  mac: string;
  model: string;
  imageType: string;
  siteTag: string;
}

/** Whether an AP is one of the predownload's targets: every list given must contain it, and `q` must match. */
export function targetsMatcher(targets: PredownloadTargets | null | undefined): (ap: TargetFields) => boolean {
  if (!targets) return () => true;
  const macs = targets.macs?.length ? new Set(targets.macs.map(macDigits)) : null;
  const text = apImageFilter({ q: targets.q });
  const listed = (list: string[] | undefined, value: string) => !list?.length || list.includes(value);
  return (ap) =>
    listed(targets.siteTags, ap.siteTag) &&
    listed(targets.imageTypes, ap.imageType) &&
    listed(targets.models, ap.model) &&
    (!macs || macs.has(macDigits(ap.mac))) &&
    text({ ...ap, predownloadStatus: 'None' });
}

/** Human words for the targets, for the log and the history. */
export function describeTargets(targets: PredownloadTargets | null | undefined): string {
  if (!targets) return 'every AP';
  const parts = [
    targets.siteTags?.length ? `site tag ${targets.siteTags.join(', ')}` : '',
    targets.imageTypes?.length ? `image type ${targets.imageTypes.join(', ')}` : '',
    targets.models?.length ? `model ${targets.models.join(', ')}` : '',
    targets.macs?.length ? `${targets.macs.length} chosen AP(s)` : '',
    targets.q ? `name/MAC matching "${targets.q}"` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'every AP';
}
