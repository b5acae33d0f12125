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
});
