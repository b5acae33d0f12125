import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { imageDownloadProfileInputSchema, toProfileView, type ImageDownloadProfileInput } from '../../lib/imageDownloadProfile';
import { SecretBox } from '../secrets/secretBox';
import type { Executor } from './store';
import { EMPTY_PROFILE, ProfileRepository } from './profileRepository';
import { ENGINES, testStores } from '../sim/testing/testStores';

const RSA = 'SHA256:nJ4U0000000000000000000000000000000000000AA';
const ED25519 = 'SHA256:ev8I0000000000000000000000000000000000000AA';

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

describe.each(ENGINES)('the trusted host key is stored with its type (%s)', (engine) => {
  const stores = testStores(engine);
  const box = new SecretBox(randomBytes(32));
  const save = (profiles: ProfileRepository, db: Executor, data: ReturnType<typeof input>) => profiles.save(db, data);

  it('keeps the type the server offered, in the database and in the view', async () => {
    const opened = await stores.open();
    await save(await ProfileRepository.load(opened.db, EMPTY_PROFILE, box), opened.db, input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    const { db } = await stores.reopen(opened);
    const reopened = await ProfileRepository.load(db, EMPTY_PROFILE, box);
    expect(reopened.get().sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
    expect(toProfileView(reopened.get()).sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
    // The form sends the same fingerprint back without a type: the stored type stays.
    await save(reopened, db, input({ hostKeyFingerprint: RSA }));
    expect(reopened.get().sftp.hostKeyType).toBe('ssh-rsa');
    await save(reopened, db, input({}));
    expect(reopened.get().sftp).toMatchObject({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' });
  });

  it('forgets the type when another fingerprint is pasted or the server changes', async () => {
    const { db } = await stores.open();
    const profiles = await ProfileRepository.load(db, EMPTY_PROFILE, box);
    await save(profiles, db, input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    await save(profiles, db, input({ hostKeyFingerprint: ED25519 }));
    expect(profiles.get().sftp).toMatchObject({ hostKeyFingerprint: ED25519, hostKeyType: null });
    await save(profiles, db, input({ hostKeyFingerprint: RSA, hostKeyType: 'ssh-rsa' }));
    await save(profiles, db, input({}, '10.0.0.6'));
    expect(profiles.get().sftp).toMatchObject({ hostKeyFingerprint: null, hostKeyType: null });
  });
});

describe('the host key type field', () => {
  it('refuses a type that is not an SSH host key type with a field message', () => {
    const parsed = imageDownloadProfileInputSchema.safeParse({ ...input({}), sftp: { ...input({}).sftp, hostKeyType: 'ssh-dss' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['sftp', 'hostKeyType'], message: expect.stringContaining('Host key type must be one of ssh-ed25519') });
  });
});
