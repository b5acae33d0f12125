import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../app/audit/auditLog';
import { AuthService } from '../auth/authService';
import { SshKeys } from '../accounts/sshKeys';
import { openTestStore } from '../sim/testing/testStores';
import type { EventLog } from '../store/eventLog';
import { AuthApi } from './authApi';
import { SshKeysApi } from './sshKeysApi';

let store: Awaited<ReturnType<typeof openTestStore>>;
let auth: AuthService;
const admin = { username: 'admin', role: 'admin' as const, sourceAddress: '127.0.0.1' };
beforeEach(async () => {
  store = await openTestStore();
  auth = new AuthService(store.db, new AuditLog(store.db), { adminPassword: 'Kestrel-Harbor-Lantern-42' });
  await auth.ensureAdmin();
});
afterEach(() => store.dispose());

// Scripts read `error` word for word; the page says `code` (with `params`) from its catalogue.
describe('refusals that the page shows as they come carry a code and parameters after their unchanged English', () => {
  it('SSH keys: an unknown account, a key that does not parse', async () => {
    const api = new SshKeysApi(new SshKeys(store.db), auth);
    expect(await api.list('nobody')).toEqual({ status: 404, body: { error: 'No user nobody', code: 'noUser', params: { username: 'nobody' } } });
    const invalid = await api.add('admin', { publicKey: '' }, admin);
    expect(invalid).toMatchObject({ status: 400, body: { error: 'Invalid public key', code: 'publicKeyInvalid' } });
    expect(Object.keys(invalid.body as object)).toEqual(['error', 'issues', 'code']);
    const unreadable = 'Not an SSH public key: paste a line like "ssh-ed25519 AAAA… user@host"';
    expect(await api.add('admin', { publicKey: 'ssh-ed25519 not-base64' }, admin)).toEqual({
      status: 400,
      body: { error: unreadable, issues: [{ path: 'publicKey', message: unreadable }], code: 'sshKeyUnreadable' },
    });
    expect(await api.remove('admin', '99', admin)).toEqual({ status: 404, body: { error: 'No such key for admin', code: 'noSshKey', params: { username: 'admin' } } });
  });

  it('a login without a user name or a password', async () => {
    const api = new AuthApi(auth, { write: () => undefined } as unknown as EventLog);
    expect(await api.login({ username: 'admin' }, '127.0.0.1', false)).toMatchObject({ status: 400, body: { error: 'Enter a user name and a password', code: 'loginIncomplete' } });
  });
});
