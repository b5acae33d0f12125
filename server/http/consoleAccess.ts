import type { ConsoleApi } from './consoleApi';

// Next.js bundles route handlers apart from the custom server's modules, so the
// running console is handed over through one well-known global, not a module variable.
const KEY = Symbol.for('ewc.consoleApi');

type WithConsole = typeof globalThis & { [KEY]?: ConsoleApi };

export function installConsoleApi(api: ConsoleApi | undefined): void {
  (globalThis as WithConsole)[KEY] = api;
}

export function consoleApi(): ConsoleApi | undefined {
  return (globalThis as WithConsole)[KEY];
}
