import { cliSettingRows } from '../store/cliSettingRepository';
import { afterCommit, type Executor } from '../store/store';
import type { HostnameSetting } from '../app/cliSettings/changeHostname';

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
export class HostnameStore implements HostnameSetting {
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
    return this.stored ?? this.defaultName();
  }

  // On a fleet of thousands of APs the AP report behind the default is read at most every 30 s.
  defaultName(): string {
    if (!this.derived || this.now() - this.derived.at > 30_000) this.derived = { name: defaultHostname(this.controllerApModel()), at: this.now() };
    return this.derived.name;
  }

  /** `db` may be the transaction that also audits the change; the prompt changes once it has committed. */
  async set(name: string | null, db: Executor = this.db): Promise<void> {
    await cliSettingRows.set(db, HOSTNAME_KEY, name);
    afterCommit(db, () => (this.stored = name));
  }
}
