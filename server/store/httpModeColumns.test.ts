import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { imageDownloadProfileInputSchema, toProfileView } from '../../lib/imageDownloadProfile';
import { describeProfileChanges } from '../app/audit/profileChanges';
import { rotateSecretKey } from '../keyRotation/rotateSecretKey';
import { generateSecretKey, loadSecretBox, SecretBox } from '../secrets/secretBox';
import { openDataDirStore } from './store';
import { EMPTY_PROFILE, ProfileRepository } from './profileRepository';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const API_KEY = 'Cco-Api-Key-7f3a9c';

function ccoInput(password?: string) {
  return imageDownloadProfileInputSchema.parse({
    mode: 'CCO',
    parallelMode: false,
    cco: { catalogUrl: 'https://catalog.example.com', username: 'noc', ...(password ? { password } : {}), release: 'latest', autoCheck: 'daily', autoCheckTime: '02:30' },
  });
}

describe('CCO settings at rest', () => {
  it('stores the mode and settings, the API key sealed (not in the database file nor its WAL), and never in the view', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-cco-'));
    dirs.push(dir);
    const store = await openDataDirStore(dir);
    const profiles = await ProfileRepository.load(store.db, EMPTY_PROFILE, loadSecretBox(dir, undefined).box);
    const { saved } = await profiles.save(store.db, ccoInput(API_KEY));
    expect(saved).toMatchObject({ mode: 'CCO', cco: { catalogUrl: 'https://catalog.example.com', username: 'noc', password: API_KEY, release: 'latest', autoCheck: 'daily', autoCheckTime: '02:30' } });
    // An empty key keeps the stored one.
    expect((await profiles.save(store.db, ccoInput())).saved.cco.password).toBe(API_KEY);
    const view = toProfileView(profiles.get());
    expect(view.cco).toMatchObject({ hasPassword: true });
    expect(JSON.stringify(view)).not.toContain(API_KEY);
    const files = ['ewc.sqlite', 'ewc.sqlite-wal'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const file of files) expect(fs.readFileSync(file).includes(API_KEY)).toBe(false);
    expect(describeProfileChanges(EMPTY_PROFILE, saved)).toContain('CCO password or API key changed');
    expect(describeProfileChanges(EMPTY_PROFILE, saved)).not.toContain(API_KEY);
    await store.close();
  });

  it('re-seals the API key when the secret key rotates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-cco-'));
    dirs.push(dir);
    const store = await openDataDirStore(dir);
    const oldBox = loadSecretBox(dir, undefined).box;
    await (await ProfileRepository.load(store.db, EMPTY_PROFILE, oldBox)).save(store.db, ccoInput(API_KEY));
    await store.close();
    const newKey = generateSecretKey();
    await rotateSecretKey(dir, undefined, newKey);
    const reopened = await openDataDirStore(dir);
    expect((await ProfileRepository.load(reopened.db, EMPTY_PROFILE, new SecretBox(newKey))).get().cco.password).toBe(API_KEY);
    await reopened.close();
  });
});
