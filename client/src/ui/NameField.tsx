import { useId, type Ref } from 'react';
import { describedBy, FieldError } from './FieldError';

export function NameField({
  value,
  onChange,
  label = 'Your first name',
  error,
  ref,
}: {
  value: string;
  onChange: (v: string) => void;
  label?: string;
  error?: string | null;
  ref?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        ref={ref}
        id={id}
        name="displayName"
        autoComplete="given-name"
        maxLength={40}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
      />
      <FieldError id={id} message={error} />
      <p className="hint" id={`${id}-hint`}>
        Only your partner (and your counsellor, if you have one) sees it.
      </p>
    </div>
  );
}
