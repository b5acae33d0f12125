import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';

/**
 * The page's language remembered per account (null until the account picks one: the browser's choice
 * serves until then), and an upgrade message's code and parameters beside its English, so the page can
 * say it in its language. Both nullable: rows written before keep working, shown in English.
 */
export const localeAndSentences: StoreMigration = {
  name: '014_locale_and_sentences',
  async up(db: Executor): Promise<void> {
    await db.schema.alterTable('auth_user').addColumn('locale', 'text').execute();
    await db.schema.alterTable('upgrade').addColumn('message_sentence', 'text').execute();
  },
};
