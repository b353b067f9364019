/** Plain text as one paragraph per non-empty line, the way the editors wrote it. */
export function TextLines({ text, className }: { text: string; className?: string }) {
  return (
    <>
      {text
        .split('\n')
        .filter((line) => line.trim())
        .map((line, i) => (
          <p key={i} className={className}>
            {line}
          </p>
        ))}
    </>
  );
}
