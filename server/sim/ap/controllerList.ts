import { z } from 'zod';

/** A Cisco AP's controllers, in the order it tries them. */
export const CONTROLLER_ROLES = ['primary', 'secondary', 'tertiary'] as const;
export type ControllerRole = (typeof CONTROLLER_ROLES)[number];

// `https://HOST:PORT`, the port written out: an AP port has no default an AP could assume.
const CONTROLLER_URL = /^https:\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/:?#@[\]]+):(\d{1,5})\/?$/;

export const controllerUrlSchema = z
  .string()
  .trim()
  .refine((text) => {
    const match = CONTROLLER_URL.exec(text);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
  }, 'a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)')
  .transform((text) => text.replace(/\/$/, ''));

/** Primary first, then secondary and tertiary, as an AP's high-availability settings list them. */
export const controllerUrlsSchema = z
  .array(controllerUrlSchema)
  .min(1, 'an AP needs at least one controller')
  .max(CONTROLLER_ROLES.length, `an AP has at most ${CONTROLLER_ROLES.length} controllers (primary, secondary, tertiary)`)
  .superRefine((urls, context) => {
    const seen = new Set<string>();
    for (const url of urls) {
      // Host names are case-blind; an entry refused above is compared as written.
      const key = url.toLowerCase();
      if (seen.has(key)) context.addIssue({ code: 'custom', message: `${url} is listed twice: each controller once` });
      seen.add(key);
    }
  });
export type ControllerUrls = z.output<typeof controllerUrlsSchema>;

/** The list, or an error that says what is wrong with it, prefixed with where it came from. */
export function parseControllerUrls(input: unknown, where: string): ControllerUrls {
  const parsed = controllerUrlsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new Error(`${where}: ${parsed.error.issues.map((issue) => (issue.path.length ? `[${issue.path.join('.')}] ${issue.message}` : issue.message)).join('; ')}`);
}

export interface ControllerTry {
  url: string;
  role: ControllerRole;
  /** What the AP logs about this try; null for the first try of a start, which moves nowhere. */
  line: string | null;
}

/**
 * Which controller an AP tries next. It joins the first of its list that answers, primary,
 * secondary, tertiary, round and round; once joined it stays there while that controller is up
 * (falling back to the primary mid-upgrade would cut a transfer for nothing); when the controller
 * it joined goes away it starts again from the primary. The waits between tries are the caller's.
 */
export class ControllerList {
  private tried: number | null = null;
  private joinedIndex: number | null = null;
  private lostIndex: number | null = null;
  private lastJoinedIndex: number | null = null;
  /** A try since the last join said why the AP moves on: its join says where it ended. */
  private moving = false;

  readonly urls: ControllerUrls;

  /** `where` names the list in the error a bad one gets (`--controller`, `AP X: its controllers`). */
  constructor(urls: readonly string[], where = 'controllers') {
    this.urls = parseControllerUrls(urls, where);
  }

  /** The controller the AP joined last, joined still or not: the one a line finished after a drop was about. */
  get lastJoined(): string | null {
    return this.lastJoinedIndex === null ? null : this.urls[this.lastJoinedIndex];
  }

  /** The controller the AP joined, while it is joined. */
  get joined(): { url: string; role: ControllerRole } | null {
    return this.joinedIndex === null ? null : this.entry(this.joinedIndex);
  }

  /** The controller of the next try; the one joined while the AP is joined. */
  nextTry(): ControllerTry {
    const next = this.pick();
    // One controller: nowhere to move, so nothing to say beyond what an AP always said (it reconnects, as before lists).
    if (this.urls.length === 1) return { ...next, line: null };
    if (next.line !== null) this.moving = true;
    return next;
  }

  private pick(): ControllerTry {
    if (this.joinedIndex !== null) return { ...this.entry(this.joinedIndex), line: null };
    let index = 0;
    let line: string | null = null;
    if (this.lostIndex !== null) {
      line = `Controller ${this.urls[this.lostIndex]} went away; trying ${CONTROLLER_ROLES[0]} ${this.urls[0]}`;
      this.lostIndex = null;
    } else if (this.tried !== null) {
      index = (this.tried + 1) % this.urls.length;
      line = `Controller ${this.urls[this.tried]} unreachable; trying ${CONTROLLER_ROLES[index]} ${this.urls[index]}`;
    }
    this.tried = index;
    return { ...this.entry(index), line };
  }

  /**
   * The last try answered: the AP joined it. Returns the line the AP logs when it moved to get there (a
   * controller unreachable or gone); null for a join at the first try, which moved nowhere.
   */
  join(): string | null {
    this.joinedIndex = this.tried ?? 0;
    this.lastJoinedIndex = this.joinedIndex;
    if (!this.moving) return null;
    this.moving = false;
    const { url, role } = this.entry(this.joinedIndex);
    return `Joined ${role} controller ${url}`;
  }

  /** The joined controller went away (its link closed, or it said it is stopping): the next try is the primary again. */
  lost(): void {
    if (this.joinedIndex !== null) this.lostIndex = this.joinedIndex;
    this.joinedIndex = null;
    this.tried = null;
  }

  /** The AP left by itself (a reload): it starts again from the primary, with nothing to say about the one it left. */
  restart(): void {
    this.joinedIndex = null;
    this.lostIndex = null;
    this.tried = null;
    this.moving = false;
  }

  private entry(index: number): { url: string; role: ControllerRole } {
    return { url: this.urls[index], role: CONTROLLER_ROLES[index] };
  }
}
