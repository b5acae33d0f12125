import type { AccountLocaleApi } from './accountLocaleApi';
import type { ApAuthorizationApi } from './apAuthorizationApi';
import type { AuthApi } from './authApi';
import type { CatalogApi } from './catalogApi';
import type { ConsoleApi } from './consoleApi';
import type { ImageTrustApi } from './imageTrustApi';
import type { LoggingApi } from './loggingApi';
import type { SshKeysApi } from './sshKeysApi';

export interface InstalledApis {
  console: ConsoleApi;
  auth: AuthApi;
  catalog: CatalogApi;
  imageTrust: ImageTrustApi;
  sshKeys?: SshKeysApi;
  accountLocale?: AccountLocaleApi;
  apAuthorization: ApAuthorizationApi;
  logging: LoggingApi;
}

// Next.js bundles route handlers apart from the custom server's modules, so the
// running console is handed over through one well-known global, not a module variable.
const KEY = Symbol.for('ewc.consoleApis');

type WithApis = typeof globalThis & { [KEY]?: InstalledApis };

export function installApis(apis: InstalledApis | undefined): void {
  (globalThis as WithApis)[KEY] = apis;
}

export function installedApis(): InstalledApis | undefined {
  return (globalThis as WithApis)[KEY];
}
