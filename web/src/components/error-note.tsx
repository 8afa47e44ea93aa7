// An error as a person reads it: the sentence, what to do (hint), and the stable code for support.
import type { ApiError } from '../api/api-error.ts';

/** What a note shows of an error: an ApiError, or a failure an answer carries ({code, message, hint}). */
export type NoteError = Pick<ApiError, 'code' | 'message'> & { hint?: string | null };

export function ErrorNote({ error, title, onRetry }: { error: NoteError | null | undefined; title?: string; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="note note-error" role="alert">
      {title && <strong className="note-title">{title}</strong>}
      <p className="note-message">{error.message}</p>
      {error.hint && <p className="note-hint">{error.hint}</p>}
      <p className="note-code">
        <code>{error.code}</code>
        {onRetry && (
          <button type="button" className="btn btn-small" onClick={onRetry}>
            Try again
          </button>
        )}
      </p>
    </div>
  );
}
