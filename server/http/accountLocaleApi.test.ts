import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../app/audit/auditLog';
import { AuthService } from '../auth/authService';
import { openTestStore } from '../sim/testing/testStores';
import { AccountLocaleApi } from './accountLocaleApi';

let store: Awaited<ReturnType<typeof openTestStore>>;
let api: AccountLocaleApi;
const admin = { username: 'admin', role: 'admin' as const, sourceAddress: '127.0.0.1' };
beforeEach(async () => {
  store = await openTestStore();
  await new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' }).ensureAdmin();
  api = new AccountLocaleApi(store.db);
});
afterEach(() => store.dispose());

describe("an account's language", () => {
  it("is kept for the caller's own account and read back for its pages", async () => {
    expect(await api.localeOf('admin')).toBeNull();
    expect(await api.save({ locale: 'fr' }, admin)).toEqual({ status: 200, body: { locale: 'fr' } });
    expect(await api.localeOf('ADMIN')).toBe('fr');
  });

  it('refuses a language the console does not have with a 400, a stable code and the account unchanged', async () => {
    await api.save({ locale: 'es' }, admin);
    for (const body of [{ locale: 'de' }, { locale: 'zh' }, {}, { locale: 7 }, null]) {
      expect(await api.save(body, admin), JSON.stringify(body)).toMatchObject({ status: 400, body: { error: 'Language must be one of en, es, fr, zh-CN', code: 'localeInvalid' } });
    }
    expect((await api.save({ locale: 'de' }, admin)).body).toMatchObject({ issues: [{ path: 'locale', code: 'localeInvalid' }] });
    expect(await api.localeOf('admin')).toBe('es');
  });

  it('answers 404 for a session whose account was removed meanwhile', async () => {
    expect(await api.save({ locale: 'fr' }, { ...admin, username: 'gone' })).toMatchObject({ status: 404, body: { code: 'noSuchUser' } });
  });
});
