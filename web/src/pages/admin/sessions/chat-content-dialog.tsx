// Viewing a person's chat content: first an acknowledgement (the view is audited), then the messages.
import { useState } from 'react';
import { api } from '../../../api/api-client.ts';
import type { ChatMessage } from '../../../api/api-types.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';
import { StoredMessageView } from '../../chat/chat-message-view.tsx';

function messagesOf(answer: unknown): ChatMessage[] {
  if (Array.isArray(answer)) return answer as ChatMessage[];
  const messages = (answer as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages) ? (messages as ChatMessage[]) : [];
}

export function ChatContentDialog({ contentUrl, onClose }: { contentUrl: string; onClose: () => void }) {
  const [messages, setMessages] = useState<ChatMessage[] | null>(null);
  const { busy, error, run } = useAction();

  const acknowledge = async () => {
    await run(async () => {
      setMessages(messagesOf(await api<unknown>(`${contentUrl}?acknowledge=true`)));
    });
  };

  if (messages) {
    return (
      <Dialog title="Chat content" open onClose={onClose} footer={<button type="button" className="btn btn-primary" onClick={onClose}>Close</button>}>
        <p className="muted small">This view was recorded in the audit log.</p>
        <div className="chat-thread chat-thread-dialog">
          {messages.length === 0 && <p className="muted">No messages.</p>}
          {messages.map((m) => (
            <StoredMessageView key={m.id} message={m} />
          ))}
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      title="View chat content?"
      open
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void acknowledge()} disabled={busy}>
            {busy ? <Spinner label="Loading…" /> : 'I understand, show the content'}
          </button>
        </>
      }
    >
      <p>
        <strong>Viewing a user's chat content is recorded in the audit log</strong>, with your name and the time.
      </p>
      <p className="muted">Only open it when you have a reason to, such as a support request from this person.</p>
      <ErrorNote error={error} />
    </Dialog>
  );
}
