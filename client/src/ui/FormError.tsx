/** A refusal's words where the person acted, read out as soon as they appear; nothing when there is none. */
export function FormError({ message, id, className }: { message: string | null | undefined; id?: string; className?: string }) {
  if (!message) return null;
  return (
    <p id={id} className={className ? `form-error ${className}` : 'form-error'} role="alert">
      {message}
    </p>
  );
}
