import { beforeEach, describe, expect, it } from 'vitest';
import type { Executor } from '../store/store';
import { ENGINES, testStores } from '../sim/testing/testStores';
import { AuthService, BAD_CREDENTIALS, type AuthServiceOptions, type SessionEnded } from './authService';
import { AuditLog } from '../app/audit/auditLog';
import { hashPassword } from './passwordHash';
import { hashSessionId } from './sessionStore';

const HOUR = 60 * 60_000;
const MINUTE = 60_000;
const HERE = '127.0.0.1';

let db: Executor;
let clock: number;

function service(options: AuthServiceOptions = {}): AuthService {
  return new AuthService(db, new AuditLog(db, () => clock), { now: () => clock, ...options });
}

async function loggedIn(auth: AuthService, username: string, password: string): Promise<string> {
  const result = await auth.login(username, password, HERE);
  if (!result.ok) throw new Error(`login of ${username} failed: ${result.message}`);
  return result.sessionId;
}

const adminActor = { username: 'admin', sourceAddress: HERE };

// Every account, session and lockout rule, on both engines the store speaks.
describe.each(ENGINES)('accounts on %s', (engine) => {
  const stores = testStores(engine);
  beforeEach(async () => {
    db = (await stores.open()).db;
    clock = Date.parse('2026-11-21T05:40:00.000Z');
  });

  describe('first start', () => {
    it('generates a readable admin password once, stores only its hash, and logs in with it', async () => {
      const auth = service();
      const { generatedPassword } = await auth.ensureAdmin();
      expect(generatedPassword).toMatch(/^[1-9A-HJ-NP-Za-km-z]{20}$/);
      expect(await auth.ensureAdmin()).toEqual({ generatedPassword: null });
      expect(await service().ensureAdmin()).toEqual({ generatedPassword: null });

      const stored = (await db.selectFrom('auth_user').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()).password_hash;
      expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(stored).not.toContain(generatedPassword!);
      expect(await auth.listUsers()).toEqual([{ username: 'admin', role: 'admin', createdAt: '2026-11-21T05:40:00.000Z', passwordChangedAt: '2026-11-21T05:40:00.000Z' }]);

      const login = await auth.login('admin', generatedPassword!, HERE);
      expect(login).toMatchObject({ ok: true, user: { username: 'admin', role: 'admin' } });
    });

    it('takes the admin password from EWC_ADMIN_PASSWORD and prints nothing', async () => {
      const auth = service({ adminPassword: 'from-the-env' });
      expect(await auth.ensureAdmin()).toEqual({ generatedPassword: null });
      expect((await auth.login('admin', 'from-the-env', HERE)).ok).toBe(true);
    });

    it('refuses a too short EWC_ADMIN_PASSWORD instead of creating a weak account', async () => {
      await expect(service({ adminPassword: 'short' }).ensureAdmin()).rejects.toThrow(/EWC_ADMIN_PASSWORD: Password must be at least 12 characters/);
      expect(await service().listUsers()).toEqual([]);
    });
  });

  describe('login', () => {
    it('opens a session for the right password; a wrong password and an unknown user get the same answer', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();

      const ok = await auth.login('admin', 'right-Cobalt-Meadow', HERE);
      expect(ok.ok).toBe(true);
      if (!ok.ok) return;
      expect(ok.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await auth.sessionUser(ok.sessionId)).toEqual({ username: 'admin', role: 'admin' });

      const wrong = await auth.login('admin', 'wrong-password', HERE);
      const unknown = await auth.login('nobody', 'wrong-password', HERE);
      expect(wrong).toEqual({ ok: false, status: 401, message: BAD_CREDENTIALS, delayMs: 250 });
      expect(unknown).toEqual(wrong);
      expect((await auth.login('not a valid name!', 'x', HERE)).ok).toBe(false);
    });

    it('does the work of a password check for unknown names too, so timing does not tell them apart', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      await auth.login('warm-up', 'x', HERE);
      const started = performance.now();
      await auth.login('nobody-here', 'wrong-password', HERE);
      // An scrypt check at N=2^15 takes tens of milliseconds; a bare table lookup takes well under one.
      expect(performance.now() - started).toBeGreaterThan(20);
    });

    it('re-hashes a password stored with older parameters on the next successful login', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      const old = await hashPassword('right-Cobalt-Meadow', { N: 2 ** 12, r: 8, p: 1 });
      await db.updateTable('auth_user').set({ password_hash: old }).where('username', '=', 'admin').execute();
      expect((await auth.login('admin', 'right-Cobalt-Meadow', HERE)).ok).toBe(true);
      expect((await db.selectFrom('auth_user').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()).password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect((await auth.login('admin', 'right-Cobalt-Meadow', HERE)).ok).toBe(true);
    });

    it('stores only the hash of the session id', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      const sessionId = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
      const stored = (await db.selectFrom('auth_session').select('id_hash').execute()).map((row) => row.id_hash);
      expect(stored).toEqual([hashSessionId(sessionId)]);
      expect(stored[0]).not.toBe(sessionId);
    });

    it('treats user names case-insensitively', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      expect(await auth.login('ADMIN', 'right-Cobalt-Meadow', HERE)).toMatchObject({ ok: true, user: { username: 'admin' } });
    });

    it('audits logins, failures and logouts with the source address', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      await auth.login('admin', 'nope-nope', '10.0.0.9');
      const sessionId = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
      await auth.logout(sessionId, '10.0.0.9');
      expect(await auth.audit.exportText()).toBe(
        ['2026-11-21T05:40:00.000Z admin@10.0.0.9 login.failed wrong password', '2026-11-21T05:40:00.000Z admin@127.0.0.1 login', '2026-11-21T05:40:00.000Z admin@10.0.0.9 logout', ''].join('\n'),
      );
    });
  });

  describe('lockout', () => {
    it('grows the delay, locks after 5 failures, refuses even the right password, and unlocks after the lock time', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      const locks: unknown[] = [];
      auth.onAccountLocked((locked) => locks.push(locked));

      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        const result = await auth.login('admin', `wrong-${i}`, '10.9.9.9');
        expect(result).toMatchObject({ ok: false, status: 401, message: BAD_CREDENTIALS });
        if (!result.ok) delays.push(result.delayMs);
        clock += MINUTE;
      }
      expect(delays).toEqual([250, 500, 750, 1000]);

      const fifth = await auth.login('admin', 'wrong-5', '10.9.9.9');
      const until = clock + 15 * MINUTE;
      const expectedMessage = `Account locked after 5 failed logins; try again at ${new Date(until).toTimeString().slice(0, 8)}`;
      expect(fifth).toEqual({ ok: false, status: 423, message: expectedMessage, delayMs: 1250, lockedUntil: new Date(until).toISOString() });
      expect(locks).toEqual([{ username: 'admin', sourceAddress: '10.9.9.9', failures: 5, until: new Date(until) }]);
      expect((await auth.audit.recent(1))[0]).toMatchObject({ action: 'login.locked', username: 'admin', sourceAddress: '10.9.9.9' });

      clock += 14 * MINUTE;
      expect(await auth.login('admin', 'right-Cobalt-Meadow', HERE)).toMatchObject({ ok: false, status: 423, message: expectedMessage });
      expect(await auth.login('Admin', 'right-Cobalt-Meadow', HERE)).toMatchObject({ ok: false, status: 423 });

      clock += MINUTE;
      expect((await auth.login('admin', 'right-Cobalt-Meadow', HERE)).ok).toBe(true);
    });

    it('caps the delay at 2 s', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow', lockAfterFailures: 20 });
      await auth.ensureAdmin();
      let last = 0;
      for (let i = 0; i < 10; i++) {
        const result = await auth.login('admin', 'wrong-password', HERE);
        if (!result.ok) last = result.delayMs;
      }
      expect(last).toBe(2000);
    });

    it('only counts failures within the window, and a successful login starts the count over', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow', lockAfterFailures: 3, lockWindowMs: 10 * MINUTE });
      await auth.ensureAdmin();
      await auth.login('admin', 'wrong-password', HERE);
      await auth.login('admin', 'wrong-password', HERE);
      clock += 11 * MINUTE;
      expect(await auth.login('admin', 'wrong-password', HERE)).toMatchObject({ status: 401, delayMs: 250 });
      await auth.login('admin', 'right-Cobalt-Meadow', HERE);
      expect(await auth.login('admin', 'wrong-password', HERE)).toMatchObject({ status: 401, delayMs: 250 });
    });

    it('locks unknown names the same way, so the lock does not reveal which accounts exist', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow', lockAfterFailures: 2 });
      await auth.ensureAdmin();
      const known = [await auth.login('admin', 'wrong-password', HERE), await auth.login('admin', 'wrong-password', HERE)];
      const unknown = [await auth.login('ghost', 'wrong-password', HERE), await auth.login('ghost', 'wrong-password', HERE)];
      expect(unknown).toEqual(known);
      expect(known[1]).toMatchObject({ status: 423 });
    });

    it('does not let parallel guesses slip past the lock', async () => {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow', lockAfterFailures: 3 });
      await auth.ensureAdmin();
      const guesses = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((g) => auth.login('admin', `wrong-${g}`, HERE)));
      expect(guesses.map((g) => (g.ok ? 200 : g.status))).toEqual([401, 401, 423, 423, 423, 423]);
      expect(await auth.login('admin', 'right-Cobalt-Meadow', HERE)).toMatchObject({ status: 423 });
    });
  });

  describe('sessions', () => {
    async function setup(options: AuthServiceOptions = {}) {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow', ...options });
      await auth.ensureAdmin();
      const ended: SessionEnded[] = [];
      auth.onSessionEnded((e) => ended.push(e));
      return { auth, ended, sessionId: await loggedIn(auth, 'admin', 'right-Cobalt-Meadow') };
    }

    it('ends after 8 h without use, each use sliding the idle expiry', async () => {
      const { auth, ended, sessionId } = await setup();
      clock += 7 * HOUR;
      expect(await auth.sessionUser(sessionId)).not.toBeNull();
      clock += 7 * HOUR;
      expect(await auth.sessionUser(sessionId)).not.toBeNull();
      clock += 8 * HOUR;
      expect(await auth.sessionUser(sessionId)).toBeNull();
      expect(ended).toEqual([{ idHash: hashSessionId(sessionId), username: 'admin', reason: 'expired' }]);
    });

    it('ends 24 h after login however busy it is', async () => {
      const { auth, sessionId } = await setup();
      for (let hours = 0; hours < 23; hours++) {
        clock += HOUR;
        expect(await auth.sessionUser(sessionId)).not.toBeNull();
      }
      clock += HOUR;
      expect(await auth.sessionUser(sessionId)).toBeNull();
    });

    it('takes configured limits and sizes the cookie to the absolute lifetime', async () => {
      const { auth, sessionId } = await setup({ sessionIdleMs: 10 * MINUTE, sessionAbsoluteMs: HOUR });
      expect(auth.sessionMaxAgeSeconds).toBe(3600);
      clock += 10 * MINUTE;
      expect(await auth.sessionUser(sessionId)).toBeNull();
    });

    it('sweeps sessions that expired unused and says which', async () => {
      const { auth, ended, sessionId } = await setup();
      const other = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
      clock += 4 * HOUR;
      await auth.sessionUser(other);
      clock += 5 * HOUR;
      expect(await auth.sweepExpired()).toBe(1);
      expect(ended).toEqual([{ idHash: hashSessionId(sessionId), username: 'admin', reason: 'expired' }]);
      expect(await auth.sessionUser(other)).not.toBeNull();
    });

    it('ends on logout, on the server side', async () => {
      const { auth, ended, sessionId } = await setup();
      await auth.logout(sessionId, HERE);
      expect(await auth.sessionUser(sessionId)).toBeNull();
      expect(await db.selectFrom('auth_session').selectAll().execute()).toEqual([]);
      expect(ended).toEqual([{ idHash: hashSessionId(sessionId), username: 'admin', reason: 'logout' }]);
      await auth.logout(sessionId, HERE);
      expect(ended).toHaveLength(1);
    });

    it('knows nothing of made-up or empty ids', async () => {
      const { auth } = await setup();
      expect(await auth.sessionUser('made-up')).toBeNull();
      expect(await auth.sessionUser('')).toBeNull();
      expect(await auth.sessionUser(undefined)).toBeNull();
    });
  });

  describe('users and roles', () => {
    async function withMonitor() {
      const auth = service({ adminPassword: 'right-Cobalt-Meadow' });
      await auth.ensureAdmin();
      const created = await auth.createUser(adminActor, { username: 'noc.viewer', password: 'monitor-Juniper-Quay', role: 'monitor' });
      expect(created).toMatchObject({ ok: true, user: { username: 'noc.viewer', role: 'monitor' } });
      return auth;
    }

    it('creates a monitor who can log in as monitor but cannot manage users', async () => {
      const auth = await withMonitor();
      const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
      expect(await auth.sessionUser(sessionId)).toEqual({ username: 'noc.viewer', role: 'monitor' });
      const monitor = { username: 'noc.viewer', sourceAddress: HERE };
      expect(await auth.createUser(monitor, { username: 'sneaky', password: 'password1', role: 'admin' })).toMatchObject({ ok: false, status: 403 });
      expect(await auth.removeUser(monitor, 'admin')).toMatchObject({ ok: false, status: 403 });
      expect(await auth.changeRole(monitor, 'noc.viewer', 'admin')).toMatchObject({ ok: false, status: 403 });
      expect(await auth.changePassword(monitor, 'admin', 'taken-over')).toMatchObject({ ok: false, status: 403 });
      expect(await auth.changePassword({ ...monitor, sessionId }, 'noc.viewer', 'new-monitor-pass', { currentPassword: 'monitor-Juniper-Quay' })).toEqual({ ok: true });
    });

    it('creates no account whose audit line cannot be written (one transaction)', async () => {
      const auth = await withMonitor();
      await db.schema.dropTable('audit_log').execute();
      await expect(auth.createUser(adminActor, { username: 'unrecorded', password: 'brand-new-Ferry-Lamp', role: 'monitor' })).rejects.toThrow(/audit_log/);
      expect((await auth.listUsers()).map((user) => user.username)).toEqual(['admin', 'noc.viewer']);
    });

    it('validates new users and refuses duplicates whatever their case', async () => {
      const auth = await withMonitor();
      expect(await auth.createUser(adminActor, { username: 'bad name', password: 'password1', role: 'monitor' })).toMatchObject({ status: 400 });
      expect(await auth.createUser(adminActor, { username: 'x'.repeat(33), password: 'password1', role: 'monitor' })).toMatchObject({ status: 400 });
      expect(await auth.createUser(adminActor, { username: 'shortpw', password: 'eleven-char', role: 'monitor' })).toMatchObject({
        status: 400,
        message: 'Password must be at least 12 characters',
      });
      for (const username of ['.', '..', '.hidden', '-x']) {
        expect(await auth.createUser(adminActor, { username, password: 'a-fine-Walnut-Crane', role: 'monitor' }), username).toMatchObject({
          status: 400,
          message: expect.stringMatching(/start with a letter or digit/),
        });
      }
      for (const [password, message] of [
        ['aaaaaaaaaaaa', /Repeated characters/],
        ['password1234', /commonly used password/],
        ['123456789012', /commonly used password/],
        ['abcdefghijklm', /sequences like "abc"/],
        ['operator-one', /personal or page related data/],
      ] as const) {
        expect(await auth.createUser(adminActor, { username: 'operator-one', password, role: 'admin' }), password).toMatchObject({ status: 400, message: expect.stringMatching(message) });
      }
      expect(await auth.createUser(adminActor, { username: 'NOC.viewer', password: 'a-fine-Walnut-Crane', role: 'monitor' })).toMatchObject({ status: 409 });
    });

    it("changes one's own password only with the current one; a wrong one counts as a failed login", async () => {
      const auth = await withMonitor();
      const mine = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
      const me = { username: 'noc.viewer', sourceAddress: HERE, sessionId: mine };
      expect(await auth.changePassword(me, 'noc.viewer', 'taken-over-pass')).toEqual({ ok: false, status: 400, message: 'Enter your current password', field: 'currentPassword' });
      expect(await auth.changePassword(me, 'noc.viewer', 'taken-over-pass', { currentPassword: 'a-wrong-guess' })).toEqual({
        ok: false,
        status: 400,
        message: 'The current password is wrong',
        field: 'currentPassword',
      });
      expect((await auth.audit.recent()).at(-1)).toMatchObject({ username: 'noc.viewer', action: 'login.failed', detail: 'wrong current password on password change' });
      expect(await auth.changePassword(me, 'noc.viewer', 'noc.viewer', { currentPassword: 'monitor-Juniper-Quay' })).toMatchObject({ ok: false, status: 400, field: 'password' });
      expect((await auth.login('noc.viewer', 'monitor-Juniper-Quay', HERE)).ok).toBe(true);
      // An admin changing their own password is asked too; for someone else's, an admin is not.
      expect(await auth.changePassword(adminActor, 'admin', 'brand-new-Ferry-Lamp')).toMatchObject({ ok: false, field: 'currentPassword' });
      expect(await auth.changePassword(adminActor, 'noc.viewer', 'reset-by-admin')).toEqual({ ok: true });
    });

    it('removes a user, ending their sessions', async () => {
      const auth = await withMonitor();
      const ended: SessionEnded[] = [];
      auth.onSessionEnded((e) => ended.push(e));
      const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
      expect(await auth.removeUser(adminActor, 'noc.viewer')).toEqual({ ok: true });
      expect(await auth.sessionUser(sessionId)).toBeNull();
      expect(ended).toEqual([{ idHash: hashSessionId(sessionId), username: 'noc.viewer', reason: 'removed' }]);
      expect(await auth.removeUser(adminActor, 'noc.viewer')).toMatchObject({ status: 404 });
      expect((await auth.audit.recent(1))[0]).toMatchObject({ action: 'user.remove', username: 'admin', detail: 'noc.viewer' });
    });

    it('never leaves the console without an administrator, and nobody removes themselves', async () => {
      const auth = await withMonitor();
      expect(await auth.removeUser(adminActor, 'admin')).toEqual({ ok: false, status: 409, message: 'You cannot remove your own account' });
      expect(await auth.changeRole(adminActor, 'admin', 'monitor')).toEqual({ ok: false, status: 409, message: 'The last administrator cannot be demoted' });

      expect(await auth.changeRole(adminActor, 'noc.viewer', 'admin')).toEqual({ ok: true });
      const second = { username: 'noc.viewer', sourceAddress: HERE };
      expect(await auth.changeRole(second, 'admin', 'monitor')).toEqual({ ok: true });
      expect(await auth.removeUser(second, 'noc.viewer')).toMatchObject({ status: 409 });
      expect(await auth.changeRole(second, 'noc.viewer', 'monitor')).toEqual({ ok: false, status: 409, message: 'The last administrator cannot be demoted' });
      expect((await auth.listUsers()).map((u) => [u.username, u.role])).toEqual([
        ['admin', 'monitor'],
        ['noc.viewer', 'admin'],
      ]);
    });

    it('refuses to remove the last administrator, whoever asks', async () => {
      const auth = await withMonitor();
      expect(await auth.removeUser(adminActor, 'admin')).toMatchObject({ ok: false, status: 409 });
      expect(await auth.removeUser({ username: 'noc.viewer', sourceAddress: HERE }, 'admin')).toMatchObject({ ok: false, status: 403 });
      expect(await auth.removeUser({ username: 'ghost', sourceAddress: HERE }, 'admin')).toMatchObject({ ok: false, status: 403 });
      expect((await auth.listUsers()).filter((u) => u.role === 'admin').map((u) => u.username)).toEqual(['admin']);
    });

    it('a password change ends the other sessions of that user but keeps the one that made it', async () => {
      const auth = await withMonitor();
      const ended: SessionEnded[] = [];
      auth.onSessionEnded((e) => ended.push(e));
      const mine = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
      const elsewhere = await loggedIn(auth, 'admin', 'right-Cobalt-Meadow');
      const monitorSession = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');

      expect(await auth.changePassword({ ...adminActor, sessionId: mine }, 'admin', 'brand-new-Ferry-Lamp', { currentPassword: 'right-Cobalt-Meadow' })).toEqual({ ok: true });
      expect(await auth.sessionUser(mine)).not.toBeNull();
      expect(await auth.sessionUser(elsewhere)).toBeNull();
      expect(await auth.sessionUser(monitorSession)).not.toBeNull();
      expect(ended).toEqual([{ idHash: hashSessionId(elsewhere), username: 'admin', reason: 'password' }]);
      expect((await auth.login('admin', 'right-Cobalt-Meadow', HERE)).ok).toBe(false);
      expect((await auth.login('admin', 'brand-new-Ferry-Lamp', HERE)).ok).toBe(true);

      expect(await auth.changePassword({ ...adminActor, sessionId: mine }, 'noc.viewer', 'reset-by-admin')).toEqual({ ok: true });
      expect(await auth.sessionUser(monitorSession)).toBeNull();
      expect(await auth.changePassword(adminActor, 'noc.viewer', 'short')).toMatchObject({ status: 400 });
      expect(await auth.changePassword(adminActor, 'ghost', 'long-enough-pw')).toMatchObject({ status: 404 });
      expect(await auth.audit.exportText()).not.toMatch(/brand-new-Ferry-Lamp|reset-by-admin|monitor-Juniper-Quay|right-Cobalt-Meadow/);
    });

    it('a role change ends that user’s sessions so the new role applies everywhere', async () => {
      const auth = await withMonitor();
      const ended: SessionEnded[] = [];
      auth.onSessionEnded((e) => ended.push(e));
      const sessionId = await loggedIn(auth, 'noc.viewer', 'monitor-Juniper-Quay');
      expect(await auth.changeRole(adminActor, 'noc.viewer', 'admin')).toEqual({ ok: true });
      expect(await auth.sessionUser(sessionId)).toBeNull();
      expect(ended.map((e) => e.reason)).toEqual(['role']);
    });
  });
});
