/**
 * The account API's refusals, each under a stable code the API writes beside its English `error` (which
 * stays word for word: scripts read it); the User Administration page says the code's words in its
 * language. The ones naming an account take the name the page asked about.
 */
export const AUTH_REFUSALS = {
  invalidUser: () => 'Invalid user',
  invalidPassword: () => 'Invalid password',
  userExists: (username: string) => `User ${username} already exists`,
  noSuchUser: (username: string) => `No user ${username}`,
  ownAccount: () => 'You cannot remove your own account',
  lastAdmin: () => 'The last administrator cannot be removed',
  adminOnly: () => 'Only an administrator can manage users',
} as const;

export type AuthRefusalCode = keyof typeof AUTH_REFUSALS;

export function isAuthRefusalCode(value: unknown): value is AuthRefusalCode {
  return typeof value === 'string' && Object.hasOwn(AUTH_REFUSALS, value);
}
