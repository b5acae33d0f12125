import type { Db } from './database';

/** The controller's own running software version (the EWC image on the AP that hosts it), kept in memory too. */
export class ControllerRepository {
  private current: string;
  private readonly save;

  constructor(db: Db, initialVersion: string) {
    const row = db.prepare('SELECT version FROM controller WHERE id = 1').get() as { version: string } | undefined;
    this.current = row?.version ?? initialVersion;
    this.save = db.prepare('INSERT INTO controller (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version');
  }

  version(): string {
    return this.current;
  }

  setVersion(version: string): void {
    this.save.run(version);
    this.current = version;
  }
}
