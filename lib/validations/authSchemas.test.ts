import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { changePasswordSchema, createUserSchema, loginSchema, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './authSchemas';
import { FIELD_MESSAGES } from './fieldMessages';
import { loadPasswordDictionaries, passwordPolicyProblem } from './passwordPolicy';
import { parseWeakPasswordMessage, weakPasswordMessage } from './weakPasswordMessage';

const GOOD = 'correct-horse-battery';

beforeAll(() => loadPasswordDictionaries());

describe('auth schemas', () => {
  it('accepts 1-32 character names of letters, digits, ".", "_" and "-" that start with a letter or digit', () => {
    for (const username of ['a', 'noc.viewer', 'ops_team-2', '9105-noc', 'x'.repeat(32)]) {
      expect(createUserSchema.safeParse({ username, password: GOOD, role: 'monitor' }).success, username).toBe(true);
    }
    for (const username of ['', '.', '..', '...', '.hidden', '-rf', '_x', 'x'.repeat(33), 'with space', 'émile', 'a/b', 'a@b', 'a\u2028b']) {
      const parsed = createUserSchema.safeParse({ username, password: GOOD, role: 'monitor' });
      expect(parsed.success, username).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({ path: ['username'] });
    }
  });

  it('applies the password policy with a message on the password field, and wants a known role', () => {
    const refused: [string, string, RegExp][] = [
      ['noc', 'short-pass1', /at least 12 characters/],
      ['noc', 'aaaaaaaaaaaaaaaa', /too easy to guess.*Repeated characters/],
      ['noc', 'password', /at least 12/],
      ['noc', 'Password2024!', /too easy to guess.*similar to a commonly used password/],
      ['noc', '123456789012', /too easy to guess.*commonly used password/],
      ['noc', 'abcdefghijklm', /too easy to guess.*sequences/],
      ['noc', 'qwertyuiop123', /too easy to guess/],
      ['operations', 'Operations', /at least 12/],
      ['operations42', 'OPERATIONS42', /too easy to guess/],
      ['operations', 'operations2024', /too easy to guess.*personal or page related data/],
    ];
    for (const [username, password, message] of refused) {
      const parsed = createUserSchema.safeParse({ username, password, role: 'monitor' });
      expect(parsed.success, password).toBe(false);
      expect(parsed.error?.issues[0]?.path, password).toEqual(['password']);
      expect(parsed.error?.issues[0]?.message, password).toMatch(message);
    }
    expect(changePasswordSchema.safeParse({ password: '12345678' }).success).toBe(false);
    expect(changePasswordSchema.safeParse({ password: GOOD }).success).toBe(true);
    expect(createUserSchema.safeParse({ username: 'a', password: GOOD, role: 'root' }).success).toBe(false);
    expect(passwordPolicyProblem(GOOD, 'admin')).toBeNull();
  });

  it('checks only the shape of a login', () => {
    expect(loginSchema.safeParse({ username: 'any name at all', password: 'x' }).success).toBe(true);
    expect(loginSchema.safeParse({ username: 'admin' }).success).toBe(false);
  });

  it('stays importable by browser code: nothing but zod, the strength estimator and its own folder', () => {
    for (const file of ['./authSchemas.ts', './passwordPolicy.ts', './safeText.ts']) {
      const source = fs.readFileSync(new URL(file, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      expect(
        imports.every((i) => i === 'zod' || i.startsWith('@zxcvbn-ts/') || i.startsWith('./')),
        file,
      ).toBe(true);
    }
  });

  it('is what the pages import: nothing under components/ imports server/, which is Node-only', () => {
    const root = path.resolve(import.meta.dirname, '../../components');
    const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => /from '(@\/server\/|(\.\.\/)+server\/)/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe("the password policy's messages and their codes", () => {
  it("names the policy's own lengths in its coded messages, so a changed limit cannot leave the words behind", () => {
    expect(passwordPolicyProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1))).toBe(FIELD_MESSAGES.passwordTooShort);
    expect(FIELD_MESSAGES.passwordTooShort).toContain(` ${MIN_PASSWORD_LENGTH} `);
    expect(passwordPolicyProblem('Granite-Orchid-Ferry-19'.repeat(50))).toBe(FIELD_MESSAGES.passwordTooLong);
    expect(FIELD_MESSAGES.passwordTooLong).toContain(` ${MAX_PASSWORD_LENGTH} `);
  });

  it('reads a weak password refusal back into its score and advice, and nothing else', () => {
    const message = passwordPolicyProblem('Summer2024!!');
    expect(parseWeakPasswordMessage(message ?? '')).toEqual({ score: expect.any(Number), needed: 4, advice: expect.stringMatching(/\S/) });
    expect(parseWeakPasswordMessage(weakPasswordMessage(2, 4, 'Add another word or two.'))).toEqual({ score: 2, needed: 4, advice: 'Add another word or two.' });
    expect(parseWeakPasswordMessage(FIELD_MESSAGES.passwordTooShort)).toBeNull();
  });
});
