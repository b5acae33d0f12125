import type { ReactNode } from 'react';
import { Field, fieldErrorId } from './Field';
import { Select, type SelectProps } from './Select';
import { TextInput, type TextInputProps } from './TextInput';

/** What a labelled control needs from its form: its id, its validation path, and its error if any. */
export interface FieldControl {
  id: string;
  path: string;
  error?: string;
  invalid: boolean;
  errorId: string;
}

export function fieldControlOf(id: string, path: string, errors: Readonly<Partial<Record<string, string>>>): FieldControl {
  return { id, path, error: errors[path], invalid: path in errors, errorId: fieldErrorId(id) };
}

interface Labelled {
  control: FieldControl;
  label: string;
  required?: boolean;
  hint?: ReactNode;
}

/** A labelled text input, its error read out with it when it is invalid. */
export function TextField({ control, label, required, hint, ...input }: Labelled & Omit<TextInputProps, 'id' | 'invalid' | 'errorId'>) {
  return (
    <Field id={control.id} path={control.path} label={label} required={required} error={control.error} hint={hint}>
      <TextInput id={control.id} invalid={control.invalid} errorId={control.errorId} {...input} />
    </Field>
  );
}

/** A labelled select, its error read out with it when it is invalid. */
export function SelectField<T extends string>({ control, label, required, hint, ...select }: Labelled & Omit<SelectProps<T>, 'id' | 'invalid' | 'errorId'>) {
  return (
    <Field id={control.id} path={control.path} label={label} required={required} error={control.error} hint={hint}>
      <Select id={control.id} invalid={control.invalid} errorId={control.errorId} {...select} />
    </Field>
  );
}
