// The open chat: its messages, the answer streaming in, suggested follow-ups and the composer.
import { useEffect, useRef } from 'react';
import type { ChatSession } from '../../api/api-types.ts';
import { useSession } from '../../app/session-context.tsx';
import { ErrorNote } from '../../components/error-note.tsx';
import { providerName } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import { ChatComposer } from './chat-composer.tsx';
import { ChatErrorNote } from './chat-errors.tsx';
import { AnswerView, StoredMessageView, UserMessageView } from './chat-message-view.tsx';
import { useChatConversation } from './use-chat-conversation.ts';

/** A question typed before its session existed (from the empty chat page), sent once the session opens. */
const pendingQuestions = new Map<string, string>();
export function queueQuestion(sessionId: string, question: string): void {
  pendingQuestions.set(sessionId, question);
}

export interface ConversationProps {
  sessionId: string;
  onTitle: (sessionId: string, title: string) => void;
  onActivity: () => void;
}

export function ChatConversation({ sessionId, onTitle, onActivity }: ConversationProps) {
  const { isTenantAdmin } = useSession();
  const chat = useChatConversation(sessionId, { onTitle, onActivity });
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (chat.loading || chat.loadError) return;
    const question = pendingQuestions.get(sessionId);
    if (question) {
      pendingQuestions.delete(sessionId);
      void chat.send(question);
    }
  }, [chat.loading, chat.loadError, sessionId]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages.length, chat.live?.text.length, chat.live?.steps.length, chat.pendingUser, chat.suggestions.length]);

  if (chat.loading) return <div className="chat-main chat-center"><Spinner label="Loading the conversation…" /></div>;
  if (chat.loadError) return <div className="chat-main chat-center"><ErrorNote error={chat.loadError} title="This chat could not be opened" /></div>;

  const lastAssistantId = [...chat.messages].reverse().find((m) => m.role === 'assistant')?.id;
  return (
    <section className="chat-main" aria-label="Conversation">
      <ConversationHeader session={chat.session} />
      <div className="chat-scroll">
        <div className="chat-thread">
          {chat.messages.length === 0 && !chat.pendingUser && (
            <div className="chat-empty">
              <h2>Ask anything about your data</h2>
              <p className="muted">Mosaic looks up the dataset, runs the queries it needs and shows each step.</p>
            </div>
          )}
          {chat.messages.map((m) => (
            <StoredMessageView
              key={m.id}
              message={m}
              errorText={chat.answerError && m.id === lastAssistantId && m.errorCode === chat.answerError.code ? chat.answerError.message : null}
            />
          ))}
          {chat.pendingUser && <UserMessageView content={chat.pendingUser} />}
          {chat.live && <AnswerView {...chat.live} live />}
          {chat.suggestions.length > 0 && !chat.streaming && (
            <div className="suggestions" aria-label="Suggested follow-up questions">
              {chat.suggestions.map((q) => (
                <button key={q} type="button" className="chip" onClick={() => void chat.send(q)}>
                  {q}
                </button>
              ))}
            </div>
          )}
          <div ref={bottom} />
        </div>
      </div>
      <div className="chat-footer">
        {chat.sendError && <ChatErrorNote error={chat.sendError} isAdmin={isTenantAdmin} fallbackTitle="The message was not sent" />}
        <ChatComposer onSend={chat.send} onStop={chat.stop} streaming={chat.streaming} finishing={chat.finishing} />
      </div>
    </section>
  );
}

function ConversationHeader({ session }: { session: ChatSession | null }) {
  if (!session) return null;
  return (
    <header className="chat-header">
      <h1 className="chat-title">{session.title || 'New chat'}</h1>
      <div className="chat-header-meta">
        {session.model && (
          <span className="muted small" title="New answers in this chat use this model">
            {providerName(session.providerKind)} · <code>{session.model}</code>
          </span>
        )}
      </div>
    </header>
  );
}
