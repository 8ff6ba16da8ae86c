/** A SHA-256 shortened to fit a table cell; the whole value in its tooltip and in the text a copy takes. */
export function ShortHash({ value }: { value: string | null }) {
  return (
    <code className="hash hash-short" title={value ?? undefined}>
      {value ?? '—'}
    </code>
  );
}
