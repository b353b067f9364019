import { useId, type KeyboardEvent, type Ref } from 'react';
import { describedBy, FieldError } from './FieldError';

export const GROUND_RULES: Array<{ title: string; text: string }> = [
  { title: 'One of us speaks at a time', text: 'The other listens to understand, not to answer back. Your turn will come.' },
  { title: 'Speak for yourself', text: 'Say what you feel and need ("I felt…"), rather than what the other person is or did wrong.' },
  { title: 'A time-out is always allowed', text: 'Either of us can pause at any moment, without giving a reason, and say when we will be back.' },
  { title: 'What is said here stays between us', text: 'What we write in this room is ours. We do not use it against each other later.' },
];

export function GroundRules({
  accepted,
  onChange,
  hasCounsellor = false,
  error,
  ref,
}: {
  accepted: boolean;
  onChange: (accepted: boolean) => void;
  hasCounsellor?: boolean;
  error?: string | null;
  ref?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  // Enter on a checkbox would submit the form (and show that the rules are not accepted yet):
  // here it ticks the box, as Space does.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    onChange(!accepted);
  };
  return (
    <section className="ground-rules" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Before you come in</h2>
      <ol className="rules-list">
        {GROUND_RULES.map((rule) => (
          <li key={rule.title}>
            <strong>{rule.title}.</strong> {rule.text}
          </li>
        ))}
      </ol>
      {hasCounsellor && (
        <div className="notice notice-info" role="note">
          <strong>A counsellor is in this room.</strong> They see who is here, the steps of a guided session, what is typed in
          written turns, and your agreements. They can guide the conversation and keep their own private notes, which partners
          do not see. Anything you send to them privately is not shown to your partner.
        </div>
      )}
      <label className="check">
        <input
          ref={ref}
          id={id}
          type="checkbox"
          checked={accepted}
          onChange={(e) => onChange(e.target.checked)}
          onKeyDown={onKeyDown}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, error, false)}
        />
        <span>I have read these and will keep to them</span>
      </label>
      <FieldError id={id} message={error} />
    </section>
  );
}
