import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { imageDownloadProfileInputSchema, toProfileView, type ImageDownloadProfileInput } from '../../lib/imageDownloadProfile';
import { loadSecretBox } from '../secrets/secretBox';
import { openDatabase } from './database';
import { EMPTY_PROFILE, ProfileRepository } from './profileRepository';

const RSA = 'SHA256:nJ4U0000000000000000000000000000000000000AA';
const ED25519 = 'SHA256:ev8I0000000000000000000000000000000000000AA';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function repository(): { profiles: ProfileRepository; reopen(): ProfileRepository } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-hostkeytype-'));
  dirs.push(dir);
  const box = loadSecretBox(dir, undefined).box;
  const db = openDatabase(dir);
  return {
    profiles: new ProfileRepository(db, EMPTY_PROFILE, box),
    reopen: () => {
      db.close();
      return new ProfileRepository(openDatabase(dir), EMPTY_PROFILE, box);
    },
  };
}

function input(sftp: Partial<NonNullable<ImageDownloadProfileInput['sftp']>>, imageServer = '10.0.0.5') {
  return imageDownloadProfileInputSchema.parse({
    mode: 'SFTP',
    imageServer,
    imagePath: 'Documents/sftp_files',
    port: 22,
    parallelMode: false,
    sftp: { username: 'calo', password: 'Pa55word!', hostKeyFingerprint: '', ...sftp },
  });
}

describe('the trusted host key is stored with its type', () => {
  it('keeps the type the server offered, in the database file and in the view', () => {
    const store = repository();
    store.profiles.save(input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    const reopened = store.reopen();
    expect(reopened.get().sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
    expect(toProfileView(reopened.get()).sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
    // The form sends the same fingerprint back without a type: the stored type stays.
    reopened.save(input({ hostKeyFingerprint: RSA }));
    expect(reopened.get().sftp.hostKeyType).toBe('ssh-rsa');
    reopened.save(input({}));
    expect(reopened.get().sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
  });

  it('forgets the type when another fingerprint is pasted or the server changes', () => {
    const { profiles } = repository();
    profiles.save(input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    profiles.save(input({ hostKeyFingerprint: ED25519 }));
    expect(profiles.get().sftp).toMatchObject({ hostKeyFingerprint: ED25519, hostKeyType: null });
    profiles.save(input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    profiles.save(input({}, '10.0.0.6'));
    expect(profiles.get().sftp).toMatchObject({ hostKeyFingerprint: null, hostKeyType: null });
  });

  it('refuses a type that is not an SSH host key type with a field message', () => {
    const parsed = imageDownloadProfileInputSchema.safeParse({ ...input({}), sftp: { ...input({}).sftp, hostKeyType: 'ssh-dss' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['sftp', 'hostKeyType'], message: expect.stringContaining('Host key type must be one of ssh-ed25519') });
  });
});
