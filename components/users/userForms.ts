import type { z } from 'zod';
import { FIELD_MESSAGES } from '@/lib/validations/fieldMessages';
import { loadPasswordDictionaries, passwordPolicyProblem } from '@/lib/validations/passwordPolicy';
import { changePasswordSchema, createUserSchema, type ChangePasswordInput, type CreateUserInput, type Role } from '@/lib/validations/authSchemas';
import type { FieldIssue } from './usersApi';

/** Messages by validation path (`username`, `password`, `role`), as the API's issues name them. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface AddUserValues {
  username: string;
  password: string;
  role: Role;
}

// Least privilege unless the admin picks otherwise.
export const EMPTY_ADD_USER: AddUserValues = { username: '', password: '', role: 'monitor' };

export type Parsed<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors };

/** The first message per path, as the field shows one at a time. */
export function issuesToErrors(issues: readonly FieldIssue[]): FieldErrors {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (!(issue.path in errors)) errors[issue.path] = issue.message;
  }
  return errors;
}

function zodErrors(error: z.ZodError): FieldErrors {
  return issuesToErrors(error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

/**
 * Validates with the API's own schema, so the form and the server never disagree about a rule. The
 * password policy's dictionaries are loaded first (once; the forms start loading them when they open).
 */
export async function parseAddUser(values: AddUserValues): Promise<Parsed<CreateUserInput>> {
  await loadPasswordDictionaries();
  // Surrounding spaces are a paste accident, not part of a name the pattern would accept anyway.
  const result = createUserSchema.safeParse({ ...values, username: values.username.trim() });
  return result.success ? { ok: true, body: result.data } : { ok: false, errors: zodErrors(result.error) };
}

/** A new password for `username`; one's own account also needs the current password, which the server checks. */
export async function parseNewPassword(password: string, username: string, currentPassword?: string): Promise<Parsed<ChangePasswordInput>> {
  await loadPasswordDictionaries();
  const result = changePasswordSchema.safeParse({ password, currentPassword });
  if (!result.success) return { ok: false, errors: zodErrors(result.error) };
  const problem = passwordPolicyProblem(password, username);
  if (problem) return { ok: false, errors: { password: problem } };
  if (currentPassword === '') return { ok: false, errors: { currentPassword: FIELD_MESSAGES.currentPasswordRequired } };
  return { ok: true, body: result.data };
}

export function withoutError(errors: FieldErrors, path: string): FieldErrors {
  if (!(path in errors)) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([key]) => key !== path));
}

/** Issues the form has no field for; they belong in the banner so they are not lost. */
export function unplacedIssues(issues: readonly FieldIssue[], paths: readonly string[]): FieldIssue[] {
  return issues.filter((issue) => !paths.includes(issue.path));
}
