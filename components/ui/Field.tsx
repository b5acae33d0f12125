import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { fieldMessageCode } from '@/lib/validations/fieldMessages';
import { parseWeakPasswordMessage } from '@/lib/validations/weakPasswordMessage';

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

/**
 * A shared schema's message in the page's language: the schemas (and the API) speak English, each
 * message with a stable code; a weak password's refusal gets its first sentence translated and keeps the
 * strength estimator's advice, which only exists in English; any other message is shown as it came.
 */
export function useFieldErrorText(): (message: string) => string {
  const t = useTranslations('fieldErrors');
  const policy = useTranslations('passwordPolicy');
  return (message) => {
    const code = fieldMessageCode(message);
    if (code) return t(code);
    const weak = parseWeakPasswordMessage(message);
    return weak ? `${policy('tooWeak', { score: weak.score, needed: weak.needed })} ${weak.advice}` : message;
  };
}

export function Field({ id, label, path, required = false, error, hint, children }: FieldProps) {
  const errorText = useFieldErrorText();
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
            {errorText(error)}
          </p>
        )}
      </div>
    </div>
  );
}
