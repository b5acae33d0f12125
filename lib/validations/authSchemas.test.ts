import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changePasswordSchema, createUserSchema, loginSchema } from './authSchemas';

describe('auth schemas', () => {
  it('accepts 1-32 character names of letters, digits, ".", "_" and "-"', () => {
    for (const username of ['a', 'noc.viewer', 'ops_team-2', 'x'.repeat(32)]) {
      expect(createUserSchema.safeParse({ username, password: 'password1', role: 'monitor' }).success).toBe(true);
    }
    for (const username of ['', 'x'.repeat(33), 'with space', 'émile', 'a/b', 'a@b']) {
      expect(createUserSchema.safeParse({ username, password: 'password1', role: 'monitor' }).success).toBe(false);
    }
  });

  it('wants passwords of 8 characters or more and a known role', () => {
    expect(changePasswordSchema.safeParse({ password: '1234567' }).success).toBe(false);
    expect(changePasswordSchema.safeParse({ password: '12345678' }).success).toBe(true);
    expect(createUserSchema.safeParse({ username: 'a', password: 'password1', role: 'root' }).success).toBe(false);
  });

  it('checks only the shape of a login', () => {
    expect(loginSchema.safeParse({ username: 'any name at all', password: 'x' }).success).toBe(true);
    expect(loginSchema.safeParse({ username: 'admin' }).success).toBe(false);
  });

  it('stays importable by browser code: no node modules', () => {
    const source = fs.readFileSync(new URL('./authSchemas.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['zod']);
  });
});
