// The chat's refusals in plain words: what happened and what the person can do about it.
import type { ApiError } from '../../api/api-error.ts';
import { Link } from '../../app/router.tsx';

export const AI_NOT_CONFIGURED_TEXT = 'AI is not configured yet — ask your Tenant Admin to add a provider in Admin → AI Configuration.';

export function chatErrorText(error: { code: string; message: string }, fallbackTitle = 'The answer failed'): { title: string; text: string } {
  switch (error.code) {
    case 'ai_not_configured':
      return { title: 'AI is not configured yet', text: AI_NOT_CONFIGURED_TEXT };
    case 'ai_disabled':
      return { title: 'AI was turned off', text: 'Your Tenant Admin turned AI off while this answer was being written. Ask them to turn it back on in Admin → AI Configuration.' };
    case 'budget_exhausted':
      return { title: 'The AI budget is used up', text: `${error.message} Ask your Tenant Admin to raise the limit in Admin → Usage & limits, or wait for next month.` };
    case 'session_busy':
      return { title: 'An answer is still being written', text: 'Wait for the current answer in this chat to finish (or stop it), then send again.' };
    case 'aborted':
      return { title: 'Stopped', text: 'You stopped this answer.' };
    default:
      return { title: fallbackTitle, text: error.message };
  }
}

export function ChatErrorNote({ error, isAdmin, fallbackTitle }: { error: ApiError | { code: string; message: string; hint?: string | null }; isAdmin?: boolean; fallbackTitle?: string }) {
  const words = chatErrorText(error, fallbackTitle);
  const title = words.title;
  // A Tenant Admin is the person the sentence would send them to: tell them what is missing instead.
  const text = isAdmin && error.code === 'ai_not_configured' ? 'No provider is active for your organisation, so chats cannot start.' : words.text;
  // Our sentence for ai_not_configured already says what to do; the server's hint would repeat it.
  const hint = 'hint' in error && error.code !== 'ai_not_configured' ? error.hint : null;
  return (
    <div className={`note ${error.code === 'aborted' ? 'note-info' : 'note-error'}`} role="alert">
      <strong className="note-title">{title}</strong>
      <p className="note-message">{text}</p>
      {hint && <p className="note-hint">{hint}</p>}
      {isAdmin && error.code === 'ai_not_configured' && (
        <p>
          <Link to="/admin/ai-configuration">Open AI Configuration</Link> to add a provider or make one active.
        </p>
      )}
      <p className="note-code">
        <code>{error.code}</code>
      </p>
    </div>
  );
}
