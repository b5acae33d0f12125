import { cliSettingRows } from '../store/cliSettingRepository';
import type { Executor } from '../store/store';

// IOS host names: letters, digits and inner hyphens, 63 characters at most (the seed's 9120-EWC starts with a digit).
export const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `C9120AXI-B` → `9120-EWC`: the seed's name for an EWC running on a 9120 AP. */
export function defaultHostname(controllerApModel: string | null): string {
  const series = controllerApModel?.match(/(\d{4})/)?.[1];
  return series ? `${series}-EWC` : 'EWC';
}

const HOSTNAME_KEY = 'hostname';

/**
 * The prompt's host name: what `hostname` set, else one derived from the AP that hosts the controller.
 * Every prompt asks for it, so the set name is kept in memory, read at start and changed with the row.
 */
export class HostnameStore {
  private derived: { name: string; at: number } | null = null;

  private constructor(
    private readonly db: Executor,
    private stored: string | null,
    private readonly controllerApModel: () => string | null,
    private readonly now: () => number,
  ) {}

  static async load(db: Executor, controllerApModel: () => string | null, now: () => number = Date.now): Promise<HostnameStore> {
    return new HostnameStore(db, await cliSettingRows.get(db, HOSTNAME_KEY), controllerApModel, now);
  }

  get(): string {
    return this.stored ?? this.derivedName();
  }

  // On a fleet of thousands of APs the AP report behind the default is read at most every 30 s.
  private derivedName(): string {
    if (!this.derived || this.now() - this.derived.at > 30_000) this.derived = { name: defaultHostname(this.controllerApModel()), at: this.now() };
    return this.derived.name;
  }

  async set(name: string | null): Promise<void> {
    await cliSettingRows.set(this.db, HOSTNAME_KEY, name);
    this.stored = name;
  }
}
