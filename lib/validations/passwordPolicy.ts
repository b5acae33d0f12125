// The console's password policy, applied to every account (admins included) and to EWC_ADMIN_PASSWORD.
// Browser code imports this file: no node modules.

export const MIN_PASSWORD_LENGTH = 12;
// scrypt accepts any length; the cap only keeps a request from making the server hash megabytes.
export const MAX_PASSWORD_LENGTH = 1024;

// Passwords of 12 characters or more that head every breached-password list, and the words their
// variants are built from; compared case-insensitively, ignoring digits and symbols around them.
const COMMON_PASSWORDS = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'qwerty', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'letmein', 'welcome',
  'admin', 'administrator', 'changeme', 'iloveyou', 'monkey', 'dragon', 'football', 'baseball', 'sunshine', 'princess',
  'trustno', 'master', 'secret', 'cisco', 'default', 'abc', 'abcdef', 'abcdefgh', 'abcdefghijkl', 'login', 'root', 'toor',
]);

const SEQUENCES = ['0123456789012345', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

function isSequence(password: string): boolean {
  const lower = password.toLowerCase();
  return SEQUENCES.some((s) => s.includes(lower) || [...s].reverse().join('').includes(lower));
}

/**
 * Why a password is refused, or null when it is acceptable: 12 to 1024 characters, not one character
 * repeated, not a run like `123456789012` or `abcdefghijkl`, not a common password with digits or
 * symbols around it (`Password2024!`), and not the user name (with or without digits around it).
 */
export function passwordPolicyProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password is ${MAX_PASSWORD_LENGTH} characters at most`;
  if (new Set(password).size === 1) return 'Password cannot be one character repeated';
  if (isSequence(password)) return 'Password cannot be a run of consecutive keys or digits';
  const core = password.toLowerCase().replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON_PASSWORDS.has(core) || COMMON_PASSWORDS.has(password.toLowerCase())) return 'Password is too common: choose one that is not on breached-password lists';
  if (username && (password.toLowerCase() === username.toLowerCase() || core === username.toLowerCase())) return 'Password cannot be the user name';
  return null;
}
