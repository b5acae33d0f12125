import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';

/**
 * Why an activation paused, as one of the server's sentences (code and parameters) beside its English, so
 * the page can say it in its language. Nullable: a pause written before, or given in the admin's own words,
 * is shown in English.
 */
export const pauseSentence: StoreMigration = {
  name: '016_pause_sentence',
  async up(db: Executor): Promise<void> {
    await db.schema.alterTable('rollout').addColumn('pause_sentence', 'text').execute();
  },
};
