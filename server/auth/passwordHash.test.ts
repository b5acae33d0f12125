import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, generatePassword, hashPassword, hashPasswordSync, needsRehash, verifyPassword } from './passwordHash';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and never the password', async () => {
    const password = 'p4ssw0rd-visible';
    const stored = await hashPassword(password);
    const [algorithm, N, r, p, salt, hash] = stored.split('$');
    expect([algorithm, Number(N), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(Buffer.from(password).toString('base64'));
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('verifies hashes made with other parameters, and flags them for rehashing', async () => {
    const cheap = await hashPassword('older hash', { N: 2 ** 10, r: 8, p: 1 });
    expect(await verifyPassword('older hash', cheap)).toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(hashPasswordSync('current hash'))).toBe(false);
    expect(needsRehash(hashPasswordSync('current hash'), { ...DEFAULT_SCRYPT_PARAMS, N: 2 ** 16 })).toBe(true);
  });

  it('refuses malformed or absurd stored hashes instead of throwing or allocating gigabytes', async () => {
    const good = await hashPassword('whatever1');
    const [, , , , salt, hash] = good.split('$');
    for (const stored of ['', 'plain', `bcrypt$32768$8$1$${salt}$${hash}`, `scrypt$1000$8$1$${salt}$${hash}`, `scrypt$${2 ** 30}$8$1$${salt}$${hash}`, `scrypt$32768$8$1$$${hash}`]) {
      expect(await verifyPassword('whatever1', stored)).toBe(false);
    }
  });

  it('generates readable base58 passwords of the asked length', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[1-9A-HJ-NP-Za-km-z]{20}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(50);
    expect(generatePassword(32)).toHaveLength(32);
  });
});
