import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { AuthService } from './authService';
import type { Actor } from '../app/actor';
import { AuditLog } from '../app/audit/auditLog';
import { changePassword } from '../app/users/changePassword';
import { createUser } from '../app/users/createUser';
import { openTestStore } from '../sim/testing/testStores';
import { ADVICE, WEAK_PASSWORDS } from '../../lib/validations/weakPasswords.fixture';

let store: Awaited<ReturnType<typeof openTestStore>>;
beforeEach(async () => {
  store = await openTestStore();
});
afterEach(() => store.dispose());

const admin: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' };

describe('the password policy (zxcvbn with its common-password and English dictionaries)', () => {
  it("refuses each weak password at the API, for a new user and a new password, with the estimator's advice as the field message", async () => {
    const auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' });
    await auth.ensureAdmin();
    expect((await createUser(auth.accounts, { username: 'noc', password: 'Granite-Orchid-Ferry-19', role: 'monitor' }, admin)).ok).toBe(true);
    for (const [username, password] of WEAK_PASSWORDS) {
      const created = await createUser(auth.accounts, { username: `${username}2`, password, role: 'monitor' }, admin);
      expect(created, password).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'password' }] } });
      const changed = await changePassword(auth.accounts, 'noc', { password }, admin);
      expect(changed, password).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'password', message: expect.stringMatching(ADVICE) }] } });
    }
    expect((await auth.listUsers()).map((u) => u.username)).toEqual(['admin', 'noc']);
  });

  it("counts the product's words and the user name as the first guesses", async () => {
    const auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' });
    await auth.ensureAdmin();
    for (const password of ['Wireless-EWC-Admin', 'ciscoewcwireless', 'Cisco!Cisco!', 'operations!!2025']) {
      expect(await createUser(auth.accounts, { username: 'operations', password, role: 'monitor' }, admin), password).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    const refused = await createUser(auth.accounts, { username: 'operations', password: 'operations2024', role: 'monitor' }, admin);
    expect(refused).toMatchObject({ ok: false, error: { issues: [{ path: 'password', message: expect.stringMatching(/personal or page related data/) }] } });
  });

  it('refuses a weak EWC_ADMIN_PASSWORD when the console starts, saying why', () => {
    expect(() => loadConfig({ EWC_ADMIN_PASSWORD: 'Cisco!Cisco!' })).toThrow(/EWC_ADMIN_PASSWORD: Password is too easy to guess .*Repeated/);
    expect(() => loadConfig({ EWC_ADMIN_PASSWORD: 'Summer2024!!' })).toThrow(/EWC_ADMIN_PASSWORD: Password is too easy to guess/);
    expect(loadConfig({ EWC_ADMIN_PASSWORD: 'Kestrel-Harbor-Lantern-42' }).adminPassword).toBe('Kestrel-Harbor-Lantern-42');
  });
});
