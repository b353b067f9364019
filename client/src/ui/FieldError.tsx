import { FormError } from './FormError';

/**
 * What is wrong with one field, right below it; the field names it in aria-describedby (with
 * its hint) and is marked aria-invalid, so a screen reader hears it on the field itself.
 */
export function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  return <FormError id={`${id}-error`} className="field-error" message={message} />;
}

/** The field's hint (`${id}-hint`) and, while it has one, its error (`${id}-error`). */
export function describedBy(id: string, error: string | null | undefined, hint = true): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
