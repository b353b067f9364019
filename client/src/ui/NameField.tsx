import { useId } from 'react';

export function NameField({ value, onChange, label = 'Your first name' }: { value: string; onChange: (v: string) => void; label?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="displayName"
        autoComplete="given-name"
        maxLength={40}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
      />
      <p className="hint">Only your partner (and your counsellor, if you have one) sees it.</p>
    </div>
  );
}
