// Chat: the person's sessions on the left, the open conversation on the right. "/" is a fresh chat
// whose session is created when the first question is sent (or by "New chat").
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/api-client.ts';
import { asApiError, type ApiError } from '../../api/api-error.ts';
import type { ChatSession } from '../../api/api-types.ts';
import { Link, navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session-context.tsx';
import { formatRelative } from '../../components/format.ts';
import { Spinner } from '../../components/spinner.tsx';
import { ErrorNote } from '../../components/error-note.tsx';
import { ChatComposer } from './chat-composer.tsx';
import { ChatConversation, queueQuestion } from './chat-conversation.tsx';
import { ChatErrorNote } from './chat-errors.tsx';
import { useAiOffForAdmin } from './use-ai-off.ts';

function sessionsOf(answer: unknown): ChatSession[] {
  if (Array.isArray(answer)) return answer as ChatSession[];
  const sessions = (answer as { sessions?: unknown } | null)?.sessions;
  return Array.isArray(sessions) ? (sessions as ChatSession[]) : [];
}

export function ChatPage({ sessionId }: { sessionId: string | null }) {
  const { isTenantAdmin } = useSession();
  const [sessions, setSessions] = useState<ChatSession[] | null>(null);
  const [listError, setListError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ApiError | null>(null);

  const loadSessions = useCallback(async () => {
    try {
      setSessions(sessionsOf(await api<unknown>('/api/chat/sessions')));
      setListError(null);
    } catch (error) {
      setListError(asApiError(error));
    }
  }, []);

  useEffect(() => {
    void loadSessions();
  }, [loadSessions]);

  useEffect(() => setCreateError(null), [sessionId]);
  // A Tenant Admin learns that AI is off before typing a question, not after; members find out on send.
  const aiOff = useAiOffForAdmin(isTenantAdmin && sessionId === null);

  /** Creates a session and opens it; with a question, the question is sent as soon as it opens. */
  const createSession = async (question?: string): Promise<boolean> => {
    setCreating(true);
    setCreateError(null);
    try {
      const { session } = await api<{ session: ChatSession }>('/api/chat/sessions', { method: 'POST', body: {} });
      setSessions((list) => [session, ...(list ?? [])]);
      if (question) queueQuestion(session.id, question);
      navigate(`/chat/${session.id}`);
      return true;
    } catch (error) {
      setCreateError(asApiError(error));
      return false;
    } finally {
      setCreating(false);
    }
  };

  const onTitle = useCallback((id: string, title: string) => {
    setSessions((list) => list?.map((s) => (s.id === id ? { ...s, title } : s)) ?? list);
  }, []);

  return (
    <div className="chat-layout">
      <aside className="chat-sidebar" aria-label="Your chats">
        <button type="button" className="btn btn-primary btn-block" onClick={() => void createSession()} disabled={creating}>
          {creating ? <Spinner label="Starting…" /> : 'New chat'}
        </button>
        <nav className="session-list" aria-label="Chat sessions">
          {sessions === null && !listError && <Spinner label="Loading chats…" />}
          {listError && <ErrorNote error={listError} onRetry={() => void loadSessions()} />}
          {sessions?.length === 0 && <p className="muted small">No chats yet.</p>}
          <ul>
            {sessions?.map((s) => (
              <li key={s.id}>
                <Link to={`/chat/${s.id}`} className="session-link" aria-current={s.id === sessionId ? 'page' : undefined}>
                  <span className="session-title">{s.title || 'New chat'}</span>
                  <span className="session-time">{formatRelative(s.lastActivityAt ?? s.createdAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      {sessionId ? (
        <ChatConversation key={sessionId} sessionId={sessionId} onTitle={onTitle} onActivity={() => void loadSessions()} />
      ) : (
        <section className="chat-main" aria-label="New chat">
          <div className="chat-scroll">
            <div className="chat-thread">
              <div className="chat-empty">
                <h1>What would you like to know?</h1>
                <p className="muted">Ask a question about your data. Mosaic looks up the dataset, runs the queries it needs and shows each step.</p>
              </div>
            </div>
          </div>
          <div className="chat-footer">
            {createError ? (
              <ChatErrorNote error={createError} isAdmin={isTenantAdmin} fallbackTitle="The chat could not be started" />
            ) : (
              aiOff && <ChatErrorNote error={{ code: 'ai_not_configured', message: '' }} isAdmin />
            )}
            <ChatComposer onSend={(q) => createSession(q)} onStop={() => {}} streaming={false} />
          </div>
        </section>
      )}
    </div>
  );
}
