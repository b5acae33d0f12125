'use client';

import type { ResultMessage } from '@/components/ui/ResultBanner';
import { useTranslations } from 'next-intl';
import { useCallback, useMemo } from 'react';
import { useRequestRunner } from '@/components/ui/useRequestRunner';
import type { CreateUserInput } from '@/lib/validations/authSchemas';
import { isAuthRefusalCode } from '@/lib/validations/authRefusals';
import { sameUser } from './format';
import { issuesToErrors, unplacedIssues, type FieldErrors } from './userForms';
import { changePassword, createUser, removeUser, type ApiFailure } from './usersApi';

export type UserActionName = 'add' | 'remove' | 'password';

export type UsersMessage = ResultMessage;

/**
 * What a form learns from its request: stored; refused over its fields (fix and retry);
 * refused otherwise (the banner says why); or not sent because another request was out.
 */
export type FormOutcome = { status: 'saved' } | { status: 'invalid'; errors: FieldErrors } | { status: 'failed' } | { status: 'skipped' };

export interface UserActions {
  busy: UserActionName | null;
  message: UsersMessage | null;
  dismissMessage: () => void;
  add: (body: CreateUserInput) => Promise<FormOutcome>;
  remove: (username: string) => Promise<boolean>;
  setPassword: (username: string, password: string, currentPassword?: string) => Promise<FormOutcome>;
}

/** Issues for a field the form shows go under it; the rest, and the error itself when no field is named, go to the banner. */
function splitFailure(error: string, issues: readonly { path: string; message: string }[], paths: readonly string[]): { errors: FieldErrors; banner: string } {
  const placed = issues.filter((issue) => paths.includes(issue.path));
  const others = unplacedIssues(issues, paths);
  const banner = others.length > 0 ? `${error}: ${others.map((issue) => issue.message).join('; ')}` : error;
  return { errors: issuesToErrors(placed), banner };
}

const ADD_PATHS = ['username', 'password', 'role'];
const PASSWORD_PATHS = ['password', 'currentPassword'];

/**
 * Add, remove and password changes, one request at a time, sharing the users banner.
 * `afterChange` reloads what a change shows up in: the user table and the audit trail.
 */
export function useUserActions(currentUsername: string | null, afterChange: () => void): UserActions {
  const t = useTranslations('users');
  const { busy, message, setMessage, inFlight, run: runRequest } = useRequestRunner<UserActionName, UsersMessage>();
  // The API's refusal in the page's language when it carries a code; its own words otherwise.
  const refusalText = useCallback((failure: ApiFailure, username: string) => (isAuthRefusalCode(failure.code) ? t(`refusals.${failure.code}`, { username }) : failure.error), [t]);
  const run = useCallback(<T>(name: UserActionName, call: () => Promise<T>): Promise<T | null> => (inFlight() ? Promise.resolve(null) : runRequest(name, call)), [inFlight, runRequest]);

  const add = useCallback(
    async (body: CreateUserInput): Promise<FormOutcome> => {
      const result = await run('add', () => createUser(body));
      if (result === null) return { status: 'skipped' };
      if (result.ok) {
        setMessage({ tone: 'success', text: t('added', { username: result.data.username, role: result.data.role }) });
        afterChange();
        return { status: 'saved' };
      }
      const { errors, banner } = splitFailure(refusalText(result, body.username), result.issues, ADD_PATHS);
      setMessage({ tone: 'error', text: banner });
      return Object.keys(errors).length > 0 ? { status: 'invalid', errors } : { status: 'failed' };
    },
    [t, run, afterChange, setMessage, refusalText],
  );

  const remove = useCallback(
    async (username: string): Promise<boolean> => {
      const result = await run('remove', () => removeUser(username));
      if (result === null) return false;
      if (result.ok) {
        setMessage({ tone: 'success', text: t('removed', { username }) });
        afterChange();
      } else {
        setMessage({ tone: 'error', text: refusalText(result, username) });
      }
      // A refusal too ends the confirmation: the banner explains it and there is nothing to retry in the dialog.
      return true;
    },
    [t, run, afterChange, setMessage, refusalText],
  );

  const setPassword = useCallback(
    async (username: string, password: string, currentPassword?: string): Promise<FormOutcome> => {
      const result = await run('password', () => changePassword(username, password, currentPassword));
      if (result === null) return { status: 'skipped' };
      if (result.ok) {
        const own = currentUsername !== null && sameUser(username, currentUsername);
        setMessage({
          tone: 'success',
          text: own ? t('ownPasswordChanged') : t('passwordChanged', { username }),
        });
        afterChange();
        return { status: 'saved' };
      }
      const { errors, banner } = splitFailure(refusalText(result, username), result.issues, PASSWORD_PATHS);
      // A field problem is fixed in the dialog; anything else (no such user, refused) goes to the banner, which the dialog would hide.
      if (Object.keys(errors).length > 0) return { status: 'invalid', errors };
      setMessage({ tone: 'error', text: banner });
      return { status: 'failed' };
    },
    [t, run, afterChange, currentUsername, setMessage, refusalText],
  );

  const dismissMessage = useCallback(() => setMessage(null), [setMessage]);

  return useMemo(() => ({ busy, message, dismissMessage, add, remove, setPassword }), [busy, message, dismissMessage, add, remove, setPassword]);
}
