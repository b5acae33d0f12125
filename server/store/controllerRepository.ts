import type { Db } from './database';

/** The controller's own running software version (the EWC image on the AP that hosts it). */
export class ControllerRepository {
  constructor(
    private readonly db: Db,
    private readonly initialVersion: string,
  ) {}

  version(): string {
    const row = this.db.prepare('SELECT version FROM controller WHERE id = 1').get() as { version: string } | undefined;
    return row?.version ?? this.initialVersion;
  }

  setVersion(version: string): void {
    this.db.prepare('INSERT INTO controller (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version').run(version);
  }
}
