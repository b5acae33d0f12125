import { z } from 'zod';
import type { ApImageRow } from './apImage';
import { macDigits } from './macAddress';
import { PREDOWNLOAD_STATUSES } from './predownloadStatus';

/** Rows per page, as the EWC's tables offer them. */
export const AP_IMAGE_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_AP_IMAGE_PAGE_SIZE = 25;

/** Columns the AP table sorts by; `-name` sorts descending. */
export const AP_IMAGE_SORT_KEYS = ['name', 'mac', 'model', 'imageType', 'predownloadStatus', 'primaryImage', 'backupImage', 'percent', 'retryCount'] as const;
export type ApImageSortKey = (typeof AP_IMAGE_SORT_KEYS)[number];

const sortSchema = z.string().refine((value) => (AP_IMAGE_SORT_KEYS as readonly string[]).includes(value.replace(/^-/, '')), {
  message: `sort is one of ${AP_IMAGE_SORT_KEYS.join(', ')}, with - in front to sort descending`,
});

// Query strings arrive as text: whole numbers are parsed strictly, never coerced from `true` or `0x10`.
const wholeNumber = (name: string, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,7}$/, `${name} must be a whole number`)
        .transform(Number),
    ])
    .pipe(z.number().int(`${name} must be a whole number`).min(0, `${name} cannot be negative`).max(max, `${name} is ${max} at most`));

/**
 * A view of the AP table: which APs (filter), in which order, which slice.
 * Shared by `GET /api/ap-image` and the page's socket, so both filter alike.
 */
export const apImageQuerySchema = z.object({
  q: z.string().max(64, 'q is 64 characters at most').optional(),
  status: z.enum(PREDOWNLOAD_STATUSES).optional(),
  imageType: z.string().max(32, 'imageType is 32 characters at most').optional(),
  sort: sortSchema.default('name'),
  offset: wholeNumber('offset', 10_000_000).default(0),
  /** Absent: every AP, as `show ap image` lists them. */
  limit: wholeNumber('limit', 10_000_000).optional(),
});
export type ApImageQuery = z.output<typeof apImageQuerySchema>;
export type ApImageQueryInput = z.input<typeof apImageQuerySchema>;

/** What the page asks over its socket: always a bounded page. */
export const apImagePageQuerySchema = apImageQuerySchema.extend({
  limit: z.union(AP_IMAGE_PAGE_SIZES.map((size) => z.literal(size)) as [z.ZodLiteral<10>, z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]),
});
export type ApImagePageQuery = z.output<typeof apImagePageQuerySchema>;

export const DEFAULT_AP_IMAGE_PAGE_QUERY: ApImagePageQuery = { sort: 'name', offset: 0, limit: DEFAULT_AP_IMAGE_PAGE_SIZE };

/** The fields a query filters on: what the store keeps, so a filter never needs live progress. */
export type ApImageFilterFields = Pick<ApImageRow, 'name' | 'mac' | 'imageType' | 'predownloadStatus'>;

/** A compiled filter: `q` matches the AP name or MAC (in any of its written forms), case-insensitively. */
export function apImageFilter(query: Pick<ApImageQuery, 'q' | 'status' | 'imageType'>): (ap: ApImageFilterFields) => boolean {
  const text = query.q?.trim().toLowerCase() ?? '';
  const hex = macDigits(text);
  const macLike = hex.length > 0 && /^[0-9a-f]+$/.test(hex);
  return (ap) => {
    if (query.status && ap.predownloadStatus !== query.status) return false;
    if (query.imageType && ap.imageType !== query.imageType) return false;
    if (text === '') return true;
    if (ap.name.toLowerCase().includes(text)) return true;
    return macLike && macDigits(ap.mac).includes(hex);
  };
}

export function parseSort(sort: string): { key: ApImageSortKey; descending: boolean } {
  const descending = sort.startsWith('-');
  return { key: sort.replace(/^-/, '') as ApImageSortKey, descending };
}

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order the controller lists its APs in (`show ap image`, `show ap summary`): by MAC, as the seed's
 * `show ap image` lists 2c5a.0f40.6920, 6c41.0e16.e79c, then 70f0.96a1.4e20.
 */
export const CONTROLLER_LIST_QUERY: ApImageQuery = { sort: 'mac', offset: 0 };

/** Orders rows by one column, then by name and MAC so that pages never overlap or skip a row. */
export function compareApImageRows(sort: string): (a: ApImageRow, b: ApImageRow) => number {
  const { key, descending } = parseSort(sort);
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    // MACs are fixed-width hex (`0cd0.f897.ade0`): compared character by character, never as numbers within text.
    const primary = key === 'mac' ? ordinal(a.mac, b.mac) : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
    if (primary !== 0) return sign * primary;
    return a.name.localeCompare(b.name, 'en', { numeric: true }) || a.mac.localeCompare(b.mac);
  };
}
