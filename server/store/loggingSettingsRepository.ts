import { DEFAULT_LOGGING_SETTINGS, loggingSettingsSchema, type LoggingSettings } from '../../lib/loggingSettings';
import { cliSettingRows } from './cliSettingRepository';
import { afterCommit, inTransaction, type Executor } from './store';

// A JSON row beside the CLI's host name: IOS keeps both in its configuration, and one row needs no migration.
const KEY = 'logging';

function parse(stored: string | null): LoggingSettings {
  if (stored === null) return DEFAULT_LOGGING_SETTINGS;
  try {
    const parsed = loggingSettingsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_LOGGING_SETTINGS;
  } catch {
    return DEFAULT_LOGGING_SETTINGS;
  }
}

/**
 * The syslog settings (`logging host`, `logging trap`, `logging facility`), stored as one row. Every
 * forwarded line consults them, so they are kept in memory: read at start, changed with the row.
 */
export class LoggingSettingsRepository {
  private constructor(
    private readonly db: Executor,
    private current: LoggingSettings,
  ) {}

  /** The stored settings, read through the same schema as a save; a row that no longer parses gives the defaults. */
  static async load(db: Executor): Promise<LoggingSettingsRepository> {
    return new LoggingSettingsRepository(db, parse(await cliSettingRows.get(db, KEY)));
  }

  get(): LoggingSettings {
    return this.current;
  }

  /** Writes the settings, in `db`'s transaction when it is one; memory follows once it is committed. */
  async save(settings: LoggingSettings, db: Executor = this.db): Promise<void> {
    await cliSettingRows.set(db, KEY, JSON.stringify(settings));
    afterCommit(db, () => {
      this.current = settings;
    });
  }

  /** Runs `work` in one transaction on this repository's database. */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }
}
