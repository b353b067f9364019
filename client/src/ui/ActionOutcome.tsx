import { FormError } from './FormError';

/**
 * Under a form or a list of buttons: what the person's last action did, read out politely
 * (empty until there is something to say), then the refusal's words if it was refused.
 */
export function ActionOutcome({ said, error, className }: { said: string | null; error: string | null | undefined; className?: string }) {
  return (
    <>
      <p className={className ? `small muted ${className}` : 'small muted'} role="status">
        {said}
      </p>
      <FormError message={error} />
    </>
  );
}
