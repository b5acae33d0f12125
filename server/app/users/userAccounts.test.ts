import { beforeEach, describe, expect, it } from 'vitest';
import { AuthService, type SessionEnded } from '../../auth/authService';
import { hashSessionId } from '../../auth/sessionStore';
import { ENGINES, testStores } from '../../sim/testing/testStores';
import type { Executor } from '../../store/store';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import { changePassword } from './changePassword';
import { changeRole } from './changeRole';
import { createUser } from './createUser';
import { removeUser } from './removeUser';

const HERE = '127.0.0.1';
const DONE = { ok: true, value: expect.anything() };

let db: Executor;

const actor = (username: string): Actor => ({ username, role: 'admin', sourceAddress: HERE, via: 'api' });
const adminActor = actor('admin');

async function loggedIn(auth: AuthService, username: string, password: string): Promise<string> {
  const result = await auth.login(username, password, HERE);
  if (!result.ok) throw new Error(`login of ${username} failed: ${result.message}`);
  return result.sessionId;
}

async function withMonitor(): Promise<AuthService> {
  const auth = new AuthService(db, new AuditLog(db), { adminPassword: 'right-Cobalt-Meadow' });
  await auth.ensureAdmin();
  const created = await createUser(auth.accounts, { username: 'noc.viewer', password: 'monitor-Juniper-Quay', role: 'monitor' }, adminActor);
  expect(created).toMatchObject({ ok: true, value: { username: 'noc.viewer', role: 'monitor' } });
  return auth;
}

const usernames = async (auth: AuthService) => (await auth.listUsers()).map((u) => `${u.username} (${u.role})`);
const dropAudit = () => db.schema.dropTable('audit_log').execute();

// The account use cases on both engines the store speaks.
describe.each(ENGINES)('users and roles on %s', (engine) => {
  const stores = testStores(engine);
  beforeEach(async () => {
    db = (await stores.open()).db;
  });

  it('creates a monitor who can log in as monitor but cannot manage users', async () => {
    const auth = await withMonitor();
    const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
    expect(await auth.sessionUser(sessionId)).toEqual({ username: 'noc.viewer', role: 'monitor' });
    // The role is read as stored now, whatever the caller's page thought it was.
    const monitor = actor('noc.viewer');
    const adminOnly = { ok: false, error: { code: 'forbidden', message: 'Only an administrator can manage users', details: { code: 'adminOnly' } } };
    expect(await createUser(auth.accounts, { username: 'sneaky', password: 'sneaky-Harbor-Lantern', role: 'admin' }, monitor)).toEqual(adminOnly);
    expect(await removeUser(auth.accounts, 'admin', monitor)).toEqual(adminOnly);
    expect(await changeRole(auth.accounts, 'noc.viewer', { role: 'admin' }, monitor)).toEqual(adminOnly);
    expect(await changePassword(auth.accounts, 'admin', { password: 'taken-over-Basalt' }, monitor)).toEqual(adminOnly);
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'new-monitor-pass', currentPassword: 'monitor-Juniper-Quay' }, monitor, sessionId)).toEqual(DONE);
  });

  it('validates new users with the shared schema and refuses duplicates whatever their case', async () => {
    const auth = await withMonitor();
    const invalidUser = (path: string, message: RegExp | string) => ({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Invalid user',
        issues: [expect.objectContaining({ path, message: typeof message === 'string' ? message : expect.stringMatching(message) })],
        details: { code: 'invalidUser' },
      },
    });
    expect(await createUser(auth.accounts, { username: 'bad name', password: 'a-fine-Walnut-Crane', role: 'monitor' }, adminActor)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await createUser(auth.accounts, { username: 'x'.repeat(33), password: 'a-fine-Walnut-Crane', role: 'monitor' }, adminActor)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await createUser(auth.accounts, { username: 'shortpw', password: 'eleven-char', role: 'monitor' }, adminActor)).toEqual(invalidUser('password', 'Password must be at least 12 characters'));
    for (const username of ['.', '..', '.hidden', '-x']) {
      expect(await createUser(auth.accounts, { username, password: 'a-fine-Walnut-Crane', role: 'monitor' }, adminActor), username).toEqual(invalidUser('username', /start with a letter or digit/));
    }
    for (const [password, message] of [
      ['aaaaaaaaaaaa', /Repeated characters/],
      ['password1234', /commonly used password/],
      ['123456789012', /commonly used password/],
      ['abcdefghijklm', /sequences like "abc"/],
      ['operator-one', /personal or page related data/],
    ] as const) {
      expect(await createUser(auth.accounts, { username: 'operator-one', password, role: 'admin' }, adminActor), password).toEqual(invalidUser('password', message));
    }
    expect(await createUser(auth.accounts, { username: 'NOC.viewer', password: 'a-fine-Walnut-Crane', role: 'monitor' }, adminActor)).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'User NOC.viewer already exists', details: { code: 'userExists' } },
    });
  });

  it("changes one's own password only with the current one; a wrong one counts as a failed login", async () => {
    const auth = await withMonitor();
    const mine = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
    const me = actor('noc.viewer');
    const currentPassword = (message: string, code: string) => ({
      ok: false,
      error: { code: 'invalid', message: 'Invalid password', issues: [{ path: 'currentPassword', message, code }], details: { code: 'invalidPassword' } },
    });
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'taken-over-pass' }, me, mine)).toEqual(currentPassword('Enter your current password', 'currentPasswordRequired'));
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'taken-over-pass', currentPassword: 'a-wrong-guess' }, me, mine)).toEqual(
      currentPassword('The current password is wrong', 'currentPasswordWrong'),
    );
    expect((await auth.audit.recent()).at(-1)).toMatchObject({ username: 'noc.viewer', action: 'login.failed', detail: 'wrong current password on password change' });
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'noc.viewer-Quay', currentPassword: 'monitor-Juniper-Quay' }, me, mine)).toMatchObject({
      ok: false,
      error: { code: 'invalid', issues: [expect.objectContaining({ path: 'password' })] },
    });
    expect((await auth.login('noc.viewer', 'monitor-Juniper-Quay', HERE)).ok).toBe(true);
    // An admin changing their own password is asked too; for someone else's, an admin is not.
    expect(await changePassword(auth.accounts, 'admin', { password: 'brand-new-Ferry-Lamp' }, adminActor)).toMatchObject({ ok: false, error: { issues: [{ path: 'currentPassword' }] } });
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'reset-by-admin' }, adminActor)).toEqual(DONE);
  });

  it('removes a user, ending their sessions', async () => {
    const auth = await withMonitor();
    const ended: SessionEnded[] = [];
    auth.onSessionEnded((e) => ended.push(e));
    const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
    expect(await removeUser(auth.accounts, 'noc.viewer', adminActor)).toEqual({ ok: true, value: { username: 'noc.viewer' } });
    expect(await auth.sessionUser(sessionId)).toBeNull();
    expect(ended).toEqual([{ idHash: hashSessionId(sessionId), username: 'noc.viewer', reason: 'removed' }]);
    expect(await removeUser(auth.accounts, 'noc.viewer', adminActor)).toEqual({ ok: false, error: { code: 'notFound', message: 'No user noc.viewer', details: { code: 'noSuchUser' } } });
    expect((await auth.audit.recent(1))[0]).toMatchObject({ action: 'user.remove', username: 'admin', detail: 'noc.viewer' });
  });

  it('never leaves the console without an administrator, and nobody removes themselves', async () => {
    const auth = await withMonitor();
    expect(await removeUser(auth.accounts, 'admin', adminActor)).toEqual({ ok: false, error: { code: 'conflict', message: 'You cannot remove your own account', details: { code: 'ownAccount' } } });
    expect(await changeRole(auth.accounts, 'admin', { role: 'monitor' }, adminActor)).toEqual({ ok: false, error: { code: 'conflict', message: 'The last administrator cannot be demoted' } });
    expect(await changeRole(auth.accounts, 'noc.viewer', { role: 'admin' }, adminActor)).toEqual(DONE);
    const second = actor('noc.viewer');
    expect(await changeRole(auth.accounts, 'admin', { role: 'monitor' }, second)).toEqual(DONE);
    expect(await removeUser(auth.accounts, 'noc.viewer', second)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await changeRole(auth.accounts, 'noc.viewer', { role: 'monitor' }, second)).toEqual({ ok: false, error: { code: 'conflict', message: 'The last administrator cannot be demoted' } });
    expect(await changeRole(auth.accounts, 'noc.viewer', { role: 'root' }, second)).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Role must be admin or monitor' } });
    expect(await usernames(auth)).toEqual(['admin (monitor)', 'noc.viewer (admin)']);
  });

  it('refuses to remove the last administrator, whoever asks', async () => {
    const auth = await withMonitor();
    expect(await removeUser(auth.accounts, 'admin', adminActor)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await removeUser(auth.accounts, 'admin', actor('noc.viewer'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await removeUser(auth.accounts, 'admin', actor('ghost'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await auth.listUsers()).filter((u) => u.role === 'admin').map((u) => u.username)).toEqual(['admin']);
  });

  it('a password change ends the other sessions of that user but keeps the one that made it', async () => {
    const auth = await withMonitor();
    const ended: SessionEnded[] = [];
    auth.onSessionEnded((e) => ended.push(e));
    const mine = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
    const elsewhere = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
    const monitorSession = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');

    expect(await changePassword(auth.accounts, 'admin', { password: 'brand-new-Ferry-Lamp', currentPassword: 'right-Cobalt-Meadow' }, adminActor, mine)).toEqual(DONE);
    expect(await auth.sessionUser(mine)).not.toBeNull();
    expect(await auth.sessionUser(elsewhere)).toBeNull();
    expect(await auth.sessionUser(monitorSession)).not.toBeNull();
    expect(ended).toEqual([{ idHash: hashSessionId(elsewhere), username: 'admin', reason: 'password' }]);
    expect((await auth.login('admin', 'right-Cobalt-Meadow', HERE)).ok).toBe(false);
    expect((await auth.login('admin', 'brand-new-Ferry-Lamp', HERE)).ok).toBe(true);

    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'reset-by-admin' }, adminActor, mine)).toEqual(DONE);
    expect(await auth.sessionUser(monitorSession)).toBeNull();
    expect(await changePassword(auth.accounts, 'noc.viewer', { password: 'short' }, adminActor)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await changePassword(auth.accounts, 'ghost', { password: 'long-enough-pw' }, adminActor)).toMatchObject({ ok: false, error: { code: 'notFound' } });
    expect(await auth.audit.exportText()).not.toMatch(/brand-new-Ferry-Lamp|reset-by-admin|monitor-Juniper-Quay|right-Cobalt-Meadow/);
  });

  it('a role change ends that user’s sessions so the new role applies everywhere', async () => {
    const auth = await withMonitor();
    const ended: SessionEnded[] = [];
    auth.onSessionEnded((e) => ended.push(e));
    const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
    expect(await changeRole(auth.accounts, 'noc.viewer', { role: 'admin' }, adminActor)).toEqual(DONE);
    expect(await auth.sessionUser(sessionId)).toBeNull();
    expect(ended.map((e) => e.reason)).toEqual(['role']);
  });

  it('makes no account change whose audit line cannot be written, and ends no session for it (one transaction)', async () => {
    const auth = await withMonitor();
    const ended: SessionEnded[] = [];
    auth.onSessionEnded((e) => ended.push(e));
    const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
    const storedHash = () => db.selectFrom('auth_user').select('password_hash').where('username', '=', 'noc.viewer').executeTakeFirstOrThrow();
    const hashBefore = await storedHash();
    await dropAudit();
    await expect(createUser(auth.accounts, { username: 'unrecorded', password: 'brand-new-Ferry-Lamp', role: 'monitor' }, adminActor)).rejects.toThrow(/audit_log/);
    await expect(changeRole(auth.accounts, 'noc.viewer', { role: 'admin' }, adminActor)).rejects.toThrow(/audit_log/);
    await expect(changePassword(auth.accounts, 'noc.viewer', { password: 'reset-by-admin' }, adminActor)).rejects.toThrow(/audit_log/);
    await expect(removeUser(auth.accounts, 'noc.viewer', adminActor)).rejects.toThrow(/audit_log/);
    expect(await usernames(auth)).toEqual(['admin (admin)', 'noc.viewer (monitor)']);
    expect(await auth.sessionUser(sessionId)).toEqual({ username: 'noc.viewer', role: 'monitor' });
    expect(ended).toEqual([]);
    expect(await storedHash()).toEqual(hashBefore);
  });
});
