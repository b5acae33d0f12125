import { z } from 'zod';
import { FIELD_MESSAGES } from './fieldMessages';
import { MAX_PASSWORD_LENGTH, passwordPolicyProblem } from './passwordPolicy';

// Shared by the user administration page and the server. Browser code imports this file: zod only, nothing from node.

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwordPolicy';

export const ROLES = ['admin', 'monitor'] as const;
export type Role = (typeof ROLES)[number];

// Starts with a letter or digit, so `.`, `..` and names a URL path or shell would read specially are refused.
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export const usernameSchema = z
  .string({ error: FIELD_MESSAGES.usernameRequired })
  .min(1, FIELD_MESSAGES.usernameRequired)
  .max(32, FIELD_MESSAGES.usernameTooLong)
  .regex(USERNAME_PATTERN, FIELD_MESSAGES.usernamePattern);

/** The policy without a user name to compare with; forms that know the name use {@link passwordPolicyProblem}. */
export const passwordSchema = z.string({ error: FIELD_MESSAGES.passwordRequired }).superRefine((password, ctx) => {
  const problem = passwordPolicyProblem(password);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const roleSchema = z.enum(ROLES, { error: FIELD_MESSAGES.roleInvalid });

/**
 * Login only checks shape: a name that breaks the user-name rules is treated as an unknown user,
 * so the answer never tells which rule an attacker got wrong.
 */
export const loginSchema = z.object({
  username: z.string({ error: FIELD_MESSAGES.usernameRequired }).min(1, FIELD_MESSAGES.usernameRequired).max(256, FIELD_MESSAGES.loginUsernameTooLong),
  password: z.string({ error: FIELD_MESSAGES.passwordRequired }).min(1, FIELD_MESSAGES.passwordRequired).max(MAX_PASSWORD_LENGTH, FIELD_MESSAGES.loginPasswordTooLong),
});

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: z.string({ error: FIELD_MESSAGES.passwordRequired }),
    role: roleSchema,
  })
  .superRefine(({ username, password }, ctx) => {
    const problem = passwordPolicyProblem(password, username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

/** A new password; `currentPassword` is required when the account is the caller's own. */
export const changePasswordSchema = z.object({
  currentPassword: z.string().max(MAX_PASSWORD_LENGTH, FIELD_MESSAGES.loginPasswordTooLong).optional(),
  password: passwordSchema,
});

export const changeRoleSchema = z.object({
  role: roleSchema,
});

/**
 * A refused login as the API answers it: the English `error` scripts read, and beside it a stable code the
 * login page says in its own language (with the time a locked account opens again).
 */
// loginIncomplete: a login without a user name or password (lib/serverSentences.ts has its words).
export const LOGIN_REFUSAL_CODES = ['invalidCredentials', 'accountLocked', 'loginIncomplete'] as const;
export type LoginRefusalCode = (typeof LOGIN_REFUSAL_CODES)[number];
export const loginRefusalSchema = z.object({
  error: z.string().min(1),
  code: z.enum(LOGIN_REFUSAL_CODES).optional().catch(undefined),
  lockedUntil: z.iso.datetime().optional().catch(undefined),
});
export type LoginRefusal = z.output<typeof loginRefusalSchema>;

export type LoginInput = z.output<typeof loginSchema>;
export type CreateUserInput = z.output<typeof createUserSchema>;
export type ChangePasswordInput = z.output<typeof changePasswordSchema>;
export type ChangeRoleInput = z.output<typeof changeRoleSchema>;

/** A console account as the API shows it: never the hash. */
export interface UserView {
  username: string;
  role: Role;
  createdAt: string;
  passwordChangedAt: string;
}
