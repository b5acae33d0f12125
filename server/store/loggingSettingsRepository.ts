import { DEFAULT_LOGGING_SETTINGS, loggingSettingsSchema, type LoggingSettings } from '../../lib/loggingSettings';
import type { Db } from './database';

// A JSON row beside the CLI's host name: IOS keeps both in its configuration, and one row needs no migration.
const KEY = 'logging';

/** The syslog settings (`logging host`, `logging trap`, `logging facility`), stored as one row. */
export class LoggingSettingsRepository {
  constructor(private readonly db: Db) {}

  /** The stored settings, read through the same schema as a save; a row that no longer parses gives the defaults. */
  get(): LoggingSettings {
    const stored = this.db.prepare('SELECT value FROM cli_setting WHERE key = ?').pluck().get(KEY) as string | undefined;
    if (stored === undefined) return DEFAULT_LOGGING_SETTINGS;
    try {
      const parsed = loggingSettingsSchema.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : DEFAULT_LOGGING_SETTINGS;
    } catch {
      return DEFAULT_LOGGING_SETTINGS;
    }
  }

  save(settings: LoggingSettings): void {
    this.db.prepare('INSERT INTO cli_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(settings));
  }
}
