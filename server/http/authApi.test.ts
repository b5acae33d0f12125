import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthService } from '../auth/authService';
import { AuditLog } from '../app/audit/auditLog';
import { openTestStore } from '../sim/testing/testStores';
import type { EventLog } from '../store/eventLog';
import { AuthApi } from './authApi';

const ADMIN_PASSWORD = 'Kestrel-Harbor-Lantern-42';
const admin = { username: 'admin', role: 'admin' as const, sourceAddress: '127.0.0.1' };

let store: Awaited<ReturnType<typeof openTestStore>>;
let api: AuthApi;
beforeEach(async () => {
  store = await openTestStore();
  const auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: ADMIN_PASSWORD, lockAfterFailures: 2 });
  await auth.ensureAdmin();
  // Only the lock listener writes to the event log; what it writes is not this test's question.
  api = new AuthApi(auth, { write: () => undefined } as unknown as EventLog);
});
afterEach(() => store.dispose());

// Scripts read `error` (and `message` in issues) word for word; the page reads the code beside it.
describe('the auth API answers its refusals with stable codes beside the unchanged English words', () => {
  it('says why a login was refused: wrong credentials, then a locked account with the time it opens again', async () => {
    const wrong = await api.login({ username: 'admin', password: 'not-the-password' }, '127.0.0.1', false);
    expect(wrong).toEqual({ status: 401, body: { error: 'Invalid username or password', code: 'invalidCredentials' } });
    const locked = await api.login({ username: 'admin', password: 'still-not-it' }, '127.0.0.1', false);
    expect(locked.status).toBe(423);
    expect(locked.body).toEqual({ error: expect.stringMatching(/^Account locked after 2 failed logins; try again at \d\d:\d\d:\d\d$/), code: 'accountLocked', lockedUntil: expect.any(String) });
    expect(Date.parse((locked.body as { lockedUntil: string }).lockedUntil)).toBeGreaterThan(Date.now());
  });

  it("gives the user schemas' field messages and the current password's refusals their codes", async () => {
    const invalid = await api.createUser({ username: '', password: 'short', role: 'monitor' }, admin);
    expect(invalid.body).toMatchObject({
      error: 'Invalid user',
      code: 'invalidUser',
      issues: expect.arrayContaining([{ path: 'username', message: 'User name is required', code: 'usernameRequired' }]),
    });
    const missing = await api.changePassword('admin', { password: 'Granite-Orchid-Ferry-19' }, admin, null);
    expect(missing).toEqual({
      status: 400,
      body: { error: 'Invalid password', issues: [{ path: 'currentPassword', message: 'Enter your current password', code: 'currentPasswordRequired' }], code: 'invalidPassword' },
    });
    const wrong = await api.changePassword('admin', { password: 'Granite-Orchid-Ferry-19', currentPassword: 'not-it-at-all' }, admin, null);
    expect(wrong).toEqual({
      status: 400,
      body: { error: 'Invalid password', issues: [{ path: 'currentPassword', message: 'The current password is wrong', code: 'currentPasswordWrong' }], code: 'invalidPassword' },
    });
  });

  it('gives the account refusals that name a user, and the ones about the last admin and oneself, their codes', async () => {
    expect(await api.createUser({ username: 'Admin', password: 'Granite-Orchid-Ferry-19', role: 'monitor' }, admin)).toEqual({
      status: 409,
      body: { error: 'User Admin already exists', code: 'userExists' },
    });
    expect(await api.removeUser('ghost', admin)).toEqual({ status: 404, body: { error: 'No user ghost', code: 'noSuchUser' } });
    expect(await api.removeUser('admin', admin)).toEqual({ status: 409, body: { error: 'You cannot remove your own account', code: 'ownAccount' } });
  });
});
