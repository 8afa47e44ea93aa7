// Copies a text to the clipboard and says so; falls back to selecting the text where the Clipboard API
// is unavailable (plain http on a non-localhost host), so the person can press Ctrl+C.
import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.setTimeout(() => setState('idle'), 2500);
  };
  return (
    <span className="copy-button">
      <button type="button" className="btn btn-secondary btn-small" onClick={() => void copy()}>
        {state === 'copied' ? 'Copied' : label}
      </button>
      <span role="status" className="visually-hidden">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
      {state === 'failed' && <span className="field-error">Copying is blocked here: select the token and press Ctrl+C.</span>}
    </span>
  );
}
