import { z } from 'zod';

// Browser code imports this file too: zod only, nothing from node.

export const ROLES = ['admin', 'monitor'] as const;
export type Role = (typeof ROLES)[number];

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;
export const MIN_PASSWORD_LENGTH = 8;
// scrypt accepts any length; the cap only keeps a request from making the server hash megabytes.
export const MAX_PASSWORD_LENGTH = 1024;

export const usernameSchema = z
  .string({ error: 'User name is required' })
  .min(1, 'User name is required')
  .max(32, 'User name is 32 characters at most')
  .regex(USERNAME_PATTERN, 'User name may contain only letters, digits, ".", "_" and "-"');

export const passwordSchema = z
  .string({ error: 'Password is required' })
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password is ${MAX_PASSWORD_LENGTH} characters at most`);

export const roleSchema = z.enum(ROLES, { error: 'Role must be admin or monitor' });

/**
 * Login only checks shape: a name that breaks the user-name rules is treated as an unknown user,
 * so the answer never tells which rule an attacker got wrong.
 */
export const loginSchema = z.object({
  username: z.string({ error: 'User name is required' }).min(1, 'User name is required').max(256, 'User name is too long'),
  password: z.string({ error: 'Password is required' }).min(1, 'Password is required').max(MAX_PASSWORD_LENGTH, 'Password is too long'),
});

export const createUserSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
});

export const changePasswordSchema = z.object({
  password: passwordSchema,
});

export const changeRoleSchema = z.object({
  role: roleSchema,
});

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
