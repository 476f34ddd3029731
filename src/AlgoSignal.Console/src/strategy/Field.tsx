import type { ReactNode } from 'react';

export interface InputProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A labelled input with its help and the API's messages for it, tied together for screen readers. */
export function Field({ field, label, errors, help, children }: { field: string; label: string; errors?: string[]; help?: ReactNode; children: (p: InputProps) => ReactNode }) {
  const id = fieldId(field);
  const errorId = `${id}-error`;
  const helpId = help ? `${id}-help` : undefined;
  const invalid = errors && errors.length > 0;
  const describedBy = [invalid ? errorId : undefined, helpId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field" data-field={field}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': invalid ? true : undefined, 'aria-describedby': describedBy })}
      {help && (
        <div className="help" id={helpId}>
          {help}
        </div>
      )}
      {invalid && (
        <div className="field-error" id={errorId} data-error-for={field}>
          {errors!.join(' ')}
        </div>
      )}
    </div>
  );
}

/** The API's messages for a field that has no single input (a list, a group). */
export function FieldErrors({ field, errors }: { field: string; errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div className="field-error" id={`${fieldId(field)}-error`} data-error-for={field}>
      {errors.join(' ')}
    </div>
  );
}
