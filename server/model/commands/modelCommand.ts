import type fc from 'fast-check';
import type { ApiResult } from '../../http/apiResult';
import type { ModelState } from '../modelState';
import type { ModelSystem } from '../modelSystem';

/**
 * One thing a user or the network does to the console. `toString()` is the call that makes it again
 * (`cliSave(['tftp-image-server 127.0.0.2'])`), so a shrunk failing sequence pastes into a regression test.
 */
export abstract class ModelCommand implements fc.AsyncCommand<ModelState, ModelSystem> {
  /** Whether the step waits for the upgrade to rest (nothing predownloading or reloading) and checks the page too. */
  protected readonly rest: boolean = false;

  check(_model: Readonly<ModelState>): boolean {
    return true;
  }

  async run(model: ModelState, system: ModelSystem): Promise<void> {
    let outcome = '';
    await system.step(
      String(this),
      async () => {
        outcome = await this.act(model, system);
      },
      { rest: this.rest },
      () => outcome,
    );
  }

  /** Does it; answers what the console said, for the step list of a failure. */
  protected abstract act(model: ModelState, system: ModelSystem): Promise<string>;

  abstract toString(): string;
}

/** `202`, or `409 An upgrade is already in progress…`: an API answer in a step list. */
export function answer(result: ApiResult): string {
  const error = result.body && typeof result.body === 'object' && 'error' in result.body ? ` ${String((result.body as { error: unknown }).error)}` : '';
  return `${result.status}${error}`;
}

/** CLI output worth a step list: the error lines. */
export function cliAnswer(lines: readonly string[]): string {
  const errors = lines.filter((line) => line.startsWith('%'));
  return errors.length > 0 ? errors.join(' ') : 'ok';
}

export const show = (value: unknown) => JSON.stringify(value);
