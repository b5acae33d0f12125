import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../../secrets/secretBox';
import { EMPTY_PROFILE, ProfileRepository } from '../../store/profileRepository';
import { openTestStore } from '../../sim/testing/testStores';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import { saveProfile, type SaveProfileDeps } from './saveProfile';

const ADMIN: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'page' };

let opened: Awaited<ReturnType<typeof openTestStore>>;
let deps: SaveProfileDeps;
let told: number;

beforeEach(async () => {
  opened = await openTestStore();
  const secrets = new SecretBox(Buffer.alloc(32, 3));
  told = 0;
  deps = { db: opened.db, profiles: await ProfileRepository.load(opened.db, EMPTY_PROFILE, secrets), secrets, audit: new AuditLog(opened.db), profileSaved: () => (told += 1) };
});

afterEach(() => opened.dispose());

const storedTftpServer = async () => (await opened.db.selectFrom('image_download_profile').select('tftp_image_server').executeTakeFirst())?.tftp_image_server ?? null;

describe('saveProfile', () => {
  it('writes the profile and the audit line that describes it', async () => {
    const result = await saveProfile(deps, { mode: 'TFTP', tftp: { imageServer: '192.0.2.10', imagePath: '/images', port: 69 } }, ADMIN);
    expect(result).toMatchObject({ ok: true, value: { mode: 'TFTP', tftp: { imageServer: '192.0.2.10' } } });
    expect(await storedTftpServer()).toBe('192.0.2.10');
    expect((await deps.audit.recent()).map((e) => `${e.username}@${e.sourceAddress} ${e.action} ${e.detail}`)).toEqual([
      expect.stringMatching(/^admin@127\.0\.0\.1 profile\.save .*tftp\.imageServer "?[^,]*"? -> 192\.0\.2\.10/),
    ]);
    expect(told).toBe(1);
  });

  it('refuses a bad input with the field it names, and stores and audits nothing', async () => {
    const result = await saveProfile(deps, { mode: 'TFTP', tftp: { imageServer: '192.0.2.10', imagePath: '/images', port: 70000 } }, ADMIN);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Invalid image download profile', issues: [expect.objectContaining({ path: 'tftp.port' })] } });
    expect(await storedTftpServer()).toBeNull();
    expect(await deps.audit.recent()).toEqual([]);
    expect(told).toBe(0);
  });

  it('leaves the profile as it was, in the table and in memory, when its audit line cannot be written (one transaction)', async () => {
    await saveProfile(deps, { mode: 'TFTP', tftp: { imageServer: '192.0.2.10', imagePath: '/images', port: 69 } }, ADMIN);
    // The audit insert fails: the save that records it must not be committed without it.
    await opened.db.schema.dropTable('audit_log').execute();
    await expect(saveProfile(deps, { tftp: { imageServer: '192.0.2.99' } }, ADMIN)).rejects.toThrow(/audit_log/);
    expect(await storedTftpServer()).toBe('192.0.2.10');
    expect(deps.profiles.get().tftp.imageServer).toBe('192.0.2.10');
    expect(told).toBe(1);
  });
});
