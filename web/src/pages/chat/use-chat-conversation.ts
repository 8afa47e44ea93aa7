// One conversation's state: the stored messages, the answer being written (built from stream events),
// suggestions, and send / stop. After each answer the stored version replaces the live one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/api-client.ts';
import { asApiError, type ApiError } from '../../api/api-error.ts';
import type { ChatMessage, ChatSession, Usage } from '../../api/api-types.ts';
import { streamChatMessage, type ChatStreamEvent } from '../../api/chat-stream.ts';
import { addToolCall, addToolResult, type ChatStep } from './chat-steps.ts';

export interface LiveAnswer {
  messageId: string | null;
  model: string | null;
  text: string;
  steps: ChatStep[];
  status: 'streaming' | 'complete' | 'error' | 'interrupted';
  error: { code: string; message: string } | null;
  usage: Usage | null;
}

export interface ConversationCallbacks {
  onTitle?: (sessionId: string, title: string) => void;
  onActivity?: () => void;
}

/** Applies one stream event to the live answer (pure). */
export function applyStreamEvent(live: LiveAnswer, event: ChatStreamEvent): LiveAnswer {
  switch (event.type) {
    case 'message-start':
      return { ...live, messageId: event.messageId, model: event.model || live.model };
    case 'text-delta':
      return { ...live, text: live.text + event.text };
    case 'tool-call':
      return { ...live, steps: addToolCall(live.steps, event) };
    case 'tool-result':
      return { ...live, steps: addToolResult(live.steps, event) };
    case 'message-end':
      return { ...live, status: 'complete', model: event.model || live.model, usage: event.usage };
    case 'error':
      return { ...live, status: 'error', error: event.error };
    default:
      return live;
  }
}

const SETTLE_POLL_MS = 200;
const SETTLE_ATTEMPTS = 15;

const EMPTY_LIVE: LiveAnswer = { messageId: null, model: null, text: '', steps: [], status: 'streaming', error: null, usage: null };

export function useChatConversation(sessionId: string, callbacks: ConversationCallbacks) {
  const [session, setSession] = useState<ChatSession | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [pendingUser, setPendingUser] = useState<string | null>(null);
  const [live, setLive] = useState<LiveAnswer | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [sendError, setSendError] = useState<ApiError | null>(null);
  const [answerError, setAnswerError] = useState<{ messageId: string | null; code: string; message: string } | null>(null);
  /** The answer has ended but its stream is still open for the title and suggestions: no new question yet. */
  const [finishing, setFinishing] = useState(false);
  const controller = useRef<AbortController | null>(null);
  /** The answer being read has ended (message-end or error); only the title and suggestions may follow. */
  const answerEnded = useRef(false);
  const callbacksRef = useRef(callbacks);
  callbacksRef.current = callbacks;

  /**
   * Loads the stored conversation. With `settleId`, waits (briefly) until that answer is no longer marked
   * streaming: after Stop the server finishes the row a moment after the client left, and showing it
   * before then would replace the partial answer with an older copy still saying "writing…". Resolves
   * false when it could not load or the answer did not settle in time (the caller keeps its live copy).
   */
  const load = useCallback(async (settleId: string | null = null) => {
    try {
      for (let attempt = 1; ; attempt++) {
        const answer = await api<{ session: ChatSession; messages: ChatMessage[] }>(`/api/chat/sessions/${encodeURIComponent(sessionId)}`);
        const pending = settleId !== null && (answer.messages ?? []).some((m) => m.id === settleId && m.status === 'streaming');
        if (pending && attempt < SETTLE_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
          continue;
        }
        if (pending) return false;
        setSession(answer.session);
        setMessages(answer.messages ?? []);
        setLoadError(null);
        return true;
      }
    } catch (error) {
      setLoadError(asApiError(error));
      return false;
    } finally {
      setLoading(false);
    }
  }, [sessionId]);

  useEffect(() => {
    void load(null);
    // Leaving the chat stops an answer still being written, but not the title and suggestions that follow
    // a complete one: aborting those would leave the session untitled and count as a failed model call.
    return () => {
      if (!answerEnded.current) controller.current?.abort();
    };
  }, [load]);

  const streaming = live?.status === 'streaming';

  /** Sends a question; resolves false when it was refused before any answer began (the text is kept). */
  const send = useCallback(
    async (content: string): Promise<boolean> => {
      const text = content.trim();
      if (!text || controller.current) return false;
      const abort = new AbortController();
      controller.current = abort;
      answerEnded.current = false;
      setSendError(null);
      setAnswerError(null);
      setSuggestions([]);
      setPendingUser(text);
      let current: LiveAnswer = { ...EMPTY_LIVE };
      setLive(current);
      let started = false;
      try {
        await streamChatMessage(
          sessionId,
          text,
          (event) => {
            started = true;
            if (event.type === 'title') {
              setSession((s) => (s ? { ...s, title: event.title } : s));
              callbacksRef.current.onTitle?.(sessionId, event.title);
            } else if (event.type === 'suggestions') {
              setSuggestions(event.questions);
            } else {
              if (event.type === 'message-end' || event.type === 'error') {
                answerEnded.current = true;
                setFinishing(true);
              }
              current = applyStreamEvent(current, event);
              setLive(current);
            }
          },
          abort.signal,
        );
        // A stream that closed without message-end or error was cut off.
        if (current.status === 'streaming') current = { ...current, status: 'interrupted' };
      } catch (error) {
        const apiError = asApiError(error);
        if (!started && apiError.code !== 'aborted') {
          setPendingUser(null);
          setLive(null);
          setSendError(apiError);
          return false;
        }
        current = apiError.code === 'aborted'
          ? { ...current, status: 'interrupted' }
          : { ...current, status: 'error', error: { code: apiError.code, message: apiError.message } };
      } finally {
        controller.current = null;
        setFinishing(false);
        callbacksRef.current.onActivity?.();
      }
      setLive(current);
      // An error event's sentence is kept for the stored message, which only carries the code.
      if (current.error) setAnswerError({ messageId: current.messageId, ...current.error });
      // The stored messages are the truth (ids, final text, parts); they replace the live copy.
      if (await load(current.messageId)) {
        setPendingUser(null);
        setLive(null);
      }
      return true;
    },
    [sessionId, load],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { session, messages, loading, loadError, pendingUser, live, suggestions, sendError, answerError, streaming, finishing, send, stop, reload: () => load(null) };
}
