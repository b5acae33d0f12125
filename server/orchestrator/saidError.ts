import { englishOf, type Sentence } from '../../lib/serverSentences';

/**
 * A refusal of the upgrade's state. Its message is the English the CLI prints after `% Error: ` and the
 * API answers as `error`; when it is one of the server's sentences, `said` keeps its code and parameters
 * so the page can say it in its own language.
 */
export class SaidError extends Error {
  readonly said: Sentence | null;

  constructor(said: Sentence | string) {
    super(typeof said === 'string' ? said : englishOf(said));
    this.said = typeof said === 'string' ? null : said;
  }
}
