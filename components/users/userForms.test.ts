import { describe, expect, it } from 'vitest';
import { ADVICE, WEAK_PASSWORDS } from '../../lib/validations/weakPasswords.fixture';
import { parseAddUser, parseNewPassword } from './userForms';

// The page loads the policy's dictionaries on demand; once loaded, it judges as the API does, in the same words.
describe('the user forms and the password policy', () => {
  it('gives the page the same verdict and the same words as the API, once the dictionaries loaded', async () => {
    for (const [username, password] of WEAK_PASSWORDS) {
      const parsed = await parseAddUser({ username, password, role: 'monitor' });
      expect(parsed.ok, password).toBe(false);
      if (!parsed.ok) expect(parsed.errors.password, password).toMatch(ADVICE);
      const changed = await parseNewPassword(password, username);
      expect(changed.ok, password).toBe(false);
    }
    expect((await parseAddUser({ username: 'noc', password: 'Granite-Orchid-Ferry-19', role: 'monitor' })).ok).toBe(true);
    expect(await parseNewPassword('short', 'noc')).toEqual({ ok: false, errors: { password: 'Password must be at least 12 characters' } });
  });
});
