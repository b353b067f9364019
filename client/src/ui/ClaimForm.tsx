import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorCode, errorMessages } from '../../../shared/protocol/errors';
import type { Action } from '../realtime/useAction';
import { describedBy, FieldError } from './FieldError';
import { FormError } from './FormError';
import { GroundRules } from './GroundRules';
import { NameField } from './NameField';

export interface Claim {
  /** the six digits, spaces taken out; empty when the form asks for no code */
  code: string;
  displayName: string;
}

type Field = 'code' | 'name' | 'rules';

/** Refusals about one field, shown beside it; any other shows below the form. */
const FIELD_OF_REFUSAL: Partial<Record<string, Field>> = {
  [ErrorCode.CODE_INVALID]: 'code',
  [ErrorCode.CODE_EXPIRED]: 'code',
  [ErrorCode.CODE_TRIES_EXCEEDED]: 'code',
  [ErrorCode.GROUND_RULES_REQUIRED]: 'rules',
};

/**
 * Taking a seat, the same on the three ways in (start a room, an invite link, a code): the
 * code when asked, a first name unless the seat already has one, the ground rules, one button.
 * Each problem shows beside its field, which is marked invalid; the first one takes the focus.
 */
export function ClaimForm({
  action,
  onClaim,
  submitLabel,
  busyLabel,
  askCode = false,
  seatName = null,
  hasCounsellor = false,
}: {
  /** the page's request: its busy state and refusal */
  action: Action;
  onClaim: (claim: Claim) => Promise<void>;
  submitLabel: string;
  busyLabel: string;
  askCode?: boolean;
  /** the name of a seat this claim moves to the device: no name is asked */
  seatName?: string | null;
  hasCounsellor?: boolean;
}) {
  const codeId = useId();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [accepted, setAccepted] = useState(false);
  const [invalid, setInvalid] = useState<Partial<Record<Field, string>>>({});
  const refs = { code: useRef<HTMLInputElement>(null), name: useRef<HTMLInputElement>(null), rules: useRef<HTMLInputElement>(null) };

  const refusal = action.error;
  const refusedField = refusal?.code ? FIELD_OF_REFUSAL[refusal.code] : undefined;
  const shownField = refusedField === 'code' && !askCode ? undefined : refusedField;
  const errorOf = (field: Field) => invalid[field] ?? (shownField === field ? refusal?.message : undefined);

  // A changed field no longer has the problem it was told of.
  const edited = (field: Field) => {
    setInvalid(({ [field]: _gone, ...rest }) => rest);
    if (shownField === field) action.reset();
  };
  const onEdit =
    <T,>(field: Field, set: (value: T) => void) =>
    (value: T) => {
      set(value);
      edited(field);
    };

  function submit(e: FormEvent) {
    e.preventDefault();
    const digits = code.replace(/\D/g, '');
    const found: Partial<Record<Field, string>> = {};
    if (askCode && digits.length !== 6) found.code = 'The code has six digits.';
    if (!seatName && !name.trim()) found.name = 'Please write your first name.';
    if (!accepted) found.rules = errorMessages.GROUND_RULES_REQUIRED;
    setInvalid(found);
    const first = (['code', 'name', 'rules'] as const).find((field) => found[field]);
    if (first) return refs[first].current?.focus();
    void onClaim({ code: digits, displayName: seatName ?? name.trim() });
  }

  let codeField: ReactNode = null;
  if (askCode) {
    const error = errorOf('code');
    codeField = (
      <div className="field">
        <label htmlFor={codeId}>The six digits your partner sees</label>
        <input
          ref={refs.code}
          id={codeId}
          className="code-input"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          value={code}
          onChange={(e) => onEdit('code', setCode)(e.target.value.replace(/[^\d ]/g, ''))}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(codeId, error)}
        />
        <FieldError id={codeId} message={error} />
        <p className="hint" id={`${codeId}-hint`}>
          A code works for ten minutes. Your partner can make a new one in their room. A code that moves your own seat to this
          phone keeps the seat’s name.
        </p>
      </div>
    );
  }

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {codeField}
      {seatName ? (
        <p className="seat-name">
          You will come in as <strong>{seatName}</strong>.
        </p>
      ) : (
        <NameField
          ref={refs.name}
          value={name}
          onChange={onEdit('name', setName)}
          error={errorOf('name')}
        />
      )}
      <GroundRules
        ref={refs.rules}
        accepted={accepted}
        onChange={onEdit('rules', setAccepted)}
        hasCounsellor={hasCounsellor}
        error={errorOf('rules')}
      />
      <FormError message={refusal && !shownField ? refusal.message : null} />
      <button type="submit" className="button" disabled={action.busy}>
        {action.busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
