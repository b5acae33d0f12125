'use client';

import { useCallback, useEffect, useState } from 'react';
import { loadPasswordDictionaries } from '@/lib/validations/passwordPolicy';
import type { CreateUserInput, Role } from '@/lib/validations/authSchemas';
import type { FormOutcome } from './useUserActions';
import { EMPTY_ADD_USER, parseAddUser, withoutError, type AddUserValues, type FieldErrors } from './userForms';

export interface AddUserFormApi {
  values: AddUserValues;
  errors: FieldErrors;
  setUsername: (value: string) => void;
  setPassword: (value: string) => void;
  setRole: (role: Role) => void;
  submit: () => Promise<void>;
}

/**
 * The "Add user" form's state. The password is cleared on every submit, sent or not:
 * it should not sit in the page's memory or in a field a passer-by could reveal.
 */
export function useAddUserForm(add: (body: CreateUserInput) => Promise<FormOutcome>, onInvalid: () => void): AddUserFormApi {
  const [values, setValues] = useState<AddUserValues>(EMPTY_ADD_USER);
  const [errors, setErrors] = useState<FieldErrors>({});
  // The policy's word lists are a chunk of their own: fetched as the form appears, ready by the first submit.
  useEffect(() => void loadPasswordDictionaries(), []);

  const edit = useCallback(<K extends keyof AddUserValues>(field: K, value: AddUserValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => withoutError(current, field));
  }, []);

  const submit = useCallback(async () => {
    const parsed = await parseAddUser(values);
    setValues((current) => ({ ...current, password: '' }));
    if (!parsed.ok) {
      setErrors(parsed.errors);
      onInvalid();
      return;
    }
    setErrors({});
    const outcome = await add(parsed.body);
    if (outcome.status === 'saved') setValues(EMPTY_ADD_USER);
    else if (outcome.status === 'invalid') setErrors(outcome.errors);
  }, [values, add, onInvalid]);

  return {
    values,
    errors,
    setUsername: useCallback((value: string) => edit('username', value), [edit]),
    setPassword: useCallback((value: string) => edit('password', value), [edit]),
    setRole: useCallback((role: Role) => edit('role', role), [edit]),
    submit,
  };
}
