import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDirStore } from '../store/store';
import { EMPTY_PROFILE, ProfileRepository } from '../store/profileRepository';
import { rotateSecretKey } from '../keyRotation/rotateSecretKey';
import { generateSecretKey, loadSecretBox, SecretBox, secretKeyFile } from './secretBox';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const SECRET = 'Sftp-Pa55word!';
const profileInput = {
  mode: 'SFTP' as const,
  imageServer: '10.0.0.5',
  imagePath: 'Documents/sftp_files',
  port: 22,
  parallelMode: false,
  sftp: { username: 'calo', passwordType: 'UNENCRYPTED' as const, password: SECRET, authMethod: 'password' as const, hostKeyFingerprint: '' },
};

describe('secrets at rest', () => {
  it('creates a key file only its owner can read, and seals with AES-256-GCM so a wrong key or a changed byte is refused', () => {
    const dir = tempDir();
    const { box } = loadSecretBox(dir, undefined);
    expect(fs.statSync(secretKeyFile(dir)).mode & 0o777).toBe(0o600);
    const sealed = box.seal(SECRET);
    expect(sealed).not.toContain(SECRET);
    expect(box.open(sealed)).toBe(SECRET);
    expect(() => new SecretBox(generateSecretKey()).open(sealed)).toThrow(/not sealed with this console's secret key/);
    const tampered = Buffer.from(sealed.slice(3), 'base64');
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(`v1:${tampered.toString('base64')}`)).toThrow();
    expect(() => loadSecretBox(dir, 'too-short')).toThrow(/EWC_SECRET_KEY must be 32 bytes/);
  });

  it('stores the SFTP password sealed in the database file', async () => {
    const dir = tempDir();
    const store = await openDataDirStore(dir);
    await (await ProfileRepository.load(store.db, EMPTY_PROFILE, loadSecretBox(dir, undefined).box)).save(store.db, profileInput);
    await store.close();
    expect(fs.readFileSync(path.join(dir, 'ewc.sqlite')).includes(SECRET)).toBe(false);
  });

  it('rotates the key: every secret is re-sealed, readable with the new key only, through the npm command', async () => {
    const dir = tempDir();
    const store = await openDataDirStore(dir);
    const oldBox = loadSecretBox(dir, undefined).box;
    await (await ProfileRepository.load(store.db, EMPTY_PROFILE, oldBox)).save(store.db, profileInput);
    await store.close();
    const oldKey = fs.readFileSync(secretKeyFile(dir), 'utf8');

    const output = execFileSync(path.resolve('node_modules/.bin/tsx'), ['server/keyRotation/rotateSecretKeyCli.ts'], {
      env: { ...process.env, EWC_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(output).toMatch(/Re-encrypted 1 stored secret\(s\)/);
    expect(fs.readFileSync(secretKeyFile(dir), 'utf8')).not.toBe(oldKey);
    expect(fs.existsSync(`${secretKeyFile(dir)}.new`)).toBe(false);

    const reopened = await openDataDirStore(dir);
    expect((await ProfileRepository.load(reopened.db, EMPTY_PROFILE, loadSecretBox(dir, undefined).box)).get().sftp.password).toBe(SECRET);
    await expect(ProfileRepository.load(reopened.db, EMPTY_PROFILE, oldBox)).rejects.toThrow();
    await reopened.close();
  });

  it('with EWC_SECRET_KEY, rotation leaves no key file and the new key opens the secrets', async () => {
    const dir = tempDir();
    const envKey = generateSecretKey().toString('base64');
    const store = await openDataDirStore(dir);
    await (await ProfileRepository.load(store.db, EMPTY_PROFILE, loadSecretBox(dir, envKey).box)).save(store.db, profileInput);
    await store.close();
    const nextKey = generateSecretKey();
    expect(await rotateSecretKey(dir, envKey, nextKey)).toEqual({ resealed: 1, keyFile: null });
    expect(fs.existsSync(secretKeyFile(dir))).toBe(false);
    const reopened = await openDataDirStore(dir);
    expect((await ProfileRepository.load(reopened.db, EMPTY_PROFILE, new SecretBox(nextKey))).get().sftp.password).toBe(SECRET);
    await reopened.close();
  });
});
