import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { AuthService } from './authService';
import { AuditLog } from '../app/audit/auditLog';
import { openTestStore } from '../sim/testing/testStores';
import { ADVICE, WEAK_PASSWORDS } from '../../lib/validations/weakPasswords.fixture';

let store: Awaited<ReturnType<typeof openTestStore>>;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(() => store.dispose());

const admin = { username: 'admin', sourceAddress: '127.0.0.1' };

describe('the password policy (zxcvbn with its common-password and English dictionaries)', () => {
  it("refuses each weak password at the API, for a new user and a new password, with the estimator's advice as the field message", async () => {
    const auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' });
    await auth.ensureAdmin();
    expect((await auth.createUser(admin, { username: 'noc', password: 'Granite-Orchid-Ferry-19', role: 'monitor' })).ok).toBe(true);
    for (const [username, password] of WEAK_PASSWORDS) {
      const created = await auth.createUser(admin, { username: `${username}2`, password, role: 'monitor' });
      expect(created, password).toMatchObject({ ok: false, status: 400 });
      const changed = await auth.changePassword(admin, 'noc', password);
      expect(changed, password).toMatchObject({ ok: false, status: 400, field: 'password', message: expect.stringMatching(ADVICE) });
    }
    expect((await auth.listUsers()).map((u) => u.username)).toEqual(['admin', 'noc']);
  });

  it("counts the product's words and the user name as the first guesses", async () => {
    const auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' });
    await auth.ensureAdmin();
    for (const password of ['Wireless-EWC-Admin', 'ciscoewcwireless', 'Cisco!Cisco!', 'operations!!2025']) {
      expect(await auth.createUser(admin, { username: 'operations', password, role: 'monitor' }), password).toMatchObject({ ok: false, status: 400 });
    }
    const refused = await auth.createUser(admin, { username: 'operations', password: 'operations2024', role: 'monitor' });
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/personal or page related data/) });
  });

  it('refuses a weak EWC_ADMIN_PASSWORD when the console starts, saying why', () => {
    expect(() => loadConfig({ EWC_ADMIN_PASSWORD: 'Cisco!Cisco!' })).toThrow(/EWC_ADMIN_PASSWORD: Password is too easy to guess .*Repeated/);
    expect(() => loadConfig({ EWC_ADMIN_PASSWORD: 'Summer2024!!' })).toThrow(/EWC_ADMIN_PASSWORD: Password is too easy to guess/);
    expect(loadConfig({ EWC_ADMIN_PASSWORD: 'Kestrel-Harbor-Lantern-42' }).adminPassword).toBe('Kestrel-Harbor-Lantern-42');
  });
});
