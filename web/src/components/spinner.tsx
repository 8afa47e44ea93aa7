// A small spinner with its words: progress is always said, never only shown.
export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : <span className="visually-hidden">Loading…</span>}
    </span>
  );
}
