import { ed25519PublicKeyLine } from '../../sim/testing/sshPublicKey';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SshKeys } from '../../accounts/sshKeys';
import { openTestStore } from '../../sim/testing/testStores';
import { UserRepository } from '../../store/userRepository';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import { addSshKey, removeSshKey, type SshKeyDeps } from './sshKeyChanges';

const ADMIN: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' };
const publicKey = () => ed25519PublicKeyLine('noc@laptop');

let opened: Awaited<ReturnType<typeof openTestStore>>;
let deps: SshKeyDeps;

beforeEach(async () => {
  opened = await openTestStore();
  const users = new UserRepository();
  await users.insert(opened.db, 'Operator', 'monitor', 'not-a-hash');
  deps = { db: opened.db, users, keys: new SshKeys(opened.db), audit: new AuditLog(opened.db) };
});

afterEach(() => opened.dispose());

const auditLines = async () => (await deps.audit.recent()).map((e) => `${e.action} ${e.detail}`);

describe('SSH key use cases', () => {
  it('adds and removes a key of an account named in any case, with their audit lines', async () => {
    const added = await addSshKey(deps, 'operator', { publicKey: publicKey() }, ADMIN);
    if (!added.ok) throw new Error(added.error.message);
    expect(added.value).toMatchObject({ keyType: 'ssh-ed25519', comment: 'noc@laptop' });
    expect(await removeSshKey(deps, 'OPERATOR', String(added.value.id), ADMIN)).toEqual({ ok: true, value: { fingerprint: added.value.fingerprint } });
    expect(await auditLines()).toEqual([`user.sshKey.add Operator ssh-ed25519 ${added.value.fingerprint}`, `user.sshKey.remove Operator ${added.value.fingerprint}`]);
  });

  it('refuses with the sentences the page translates', async () => {
    const key = publicKey();
    expect(await addSshKey(deps, 'ghost', { publicKey: key }, ADMIN)).toMatchObject({ ok: false, error: { code: 'notFound', sentence: { code: 'noUser', params: { username: 'ghost' } } } });
    expect(await addSshKey(deps, 'Operator', { publicKey: 'ssh-ed25519 nonsense' }, ADMIN)).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'publicKey' }] } });
    expect(await addSshKey(deps, 'Operator', { publicKey: key }, ADMIN)).toMatchObject({ ok: true });
    expect(await addSshKey(deps, 'Operator', { publicKey: key }, ADMIN)).toMatchObject({ ok: false, error: { code: 'conflict', sentence: { code: 'sshKeyExists' } } });
    expect(await removeSshKey(deps, 'Operator', 'x', ADMIN)).toMatchObject({ ok: false, error: { code: 'notFound', sentence: { code: 'noSshKey' } } });
  });

  it('neither adds nor removes a key whose audit line cannot be written (one transaction)', async () => {
    const kept = await addSshKey(deps, 'Operator', { publicKey: publicKey() }, ADMIN);
    if (!kept.ok) throw new Error(kept.error.message);
    await opened.db.schema.dropTable('audit_log').execute();
    await expect(addSshKey(deps, 'Operator', { publicKey: publicKey() }, ADMIN)).rejects.toThrow(/audit_log/);
    await expect(removeSshKey(deps, 'Operator', String(kept.value.id), ADMIN)).rejects.toThrow(/audit_log/);
    expect((await deps.keys.list('Operator')).map((k) => k.id)).toEqual([kept.value.id]);
  });
});
