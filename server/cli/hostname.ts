import type { Db } from '../store/database';

// IOS host names: letters, digits and inner hyphens, 63 characters at most (the seed's 9120-EWC starts with a digit).
export const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `C9120AXI-B` → `9120-EWC`: the seed's name for an EWC running on a 9120 AP. */
export function defaultHostname(controllerApModel: string | null): string {
  const series = controllerApModel?.match(/(\d{4})/)?.[1];
  return series ? `${series}-EWC` : 'EWC';
}

/** The prompt's host name: what `hostname` set, else one derived from the AP that hosts the controller. */
export class HostnameStore {
  private derived: { name: string; at: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly controllerApModel: () => string | null,
    private readonly now: () => number = Date.now,
  ) {}

  get(): string {
    const stored = this.db.prepare("SELECT value FROM cli_setting WHERE key = 'hostname'").pluck().get() as string | undefined;
    return stored ?? this.derivedName();
  }

  // Every prompt asks for the name; on a fleet of thousands of APs the AP report behind the default is read at most every 30 s.
  private derivedName(): string {
    if (!this.derived || this.now() - this.derived.at > 30_000) this.derived = { name: defaultHostname(this.controllerApModel()), at: this.now() };
    return this.derived.name;
  }

  set(name: string | null): void {
    if (name === null) this.db.prepare("DELETE FROM cli_setting WHERE key = 'hostname'").run();
    else this.db.prepare("INSERT INTO cli_setting (key, value) VALUES ('hostname', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(name);
  }
}
