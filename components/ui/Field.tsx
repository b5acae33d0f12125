import type { ReactNode } from 'react';

export interface FieldProps {
  /** The id of the control the label points at. */
  id: string;
  label: string;
  /** The validation path (e.g. `sftp.username`); names the error element for the tests and the API. */
  path: string;
  required?: boolean;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}

export function fieldErrorId(id: string): string {
  return `${id}-error`;
}

export function Field({ id, label, path, required = false, error, hint, children }: FieldProps) {
  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {/* Outside the label so the label's text stays exactly the field name. */}
        {required && (
          <span className="field-required" aria-hidden="true">
            *
          </span>
        )}
      </div>
      <div className="field-control">
        {children}
        {hint && <p className="field-hint">{hint}</p>}
        {error && (
          <p role="alert" id={fieldErrorId(id)} data-testid={`error-${path}`} className="field-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
