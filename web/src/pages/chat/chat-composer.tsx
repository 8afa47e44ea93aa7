// The question box: Enter sends, Shift+Enter is a new line; Stop aborts the answer being written.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

export interface ComposerProps {
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
  streaming: boolean;
  /** The answer is complete and the title / follow-ups are still arriving: Send waits for them. */
  finishing?: boolean;
  disabled?: boolean;
  placeholder?: string;
}

export function ChatComposer({ onSend, onStop, streaming, finishing = false, disabled, placeholder }: ComposerProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!streaming && !sending) ref.current?.focus();
  }, [streaming, sending]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const value = text.trim();
    if (!value || streaming || finishing || sending || disabled) return;
    setSending(true);
    setText('');
    const accepted = await onSend(value);
    if (!accepted) setText(value); // refused before an answer began: keep what they wrote
    setSending(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="chat-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="chat-input"
        ref={ref}
        rows={2}
        value={text}
        placeholder={placeholder ?? 'Ask a question about your data…'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
      />
      <div className="composer-actions">
        <span className="muted small" aria-live="polite">
          {finishing ? 'Suggesting follow-up questions…' : 'Enter to send · Shift+Enter for a new line'}
        </span>
        {streaming ? (
          <button type="button" className="btn btn-secondary" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="btn btn-primary" disabled={!text.trim() || sending || finishing || disabled}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
