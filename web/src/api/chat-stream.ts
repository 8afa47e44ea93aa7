// POST a chat message and read the answer as it is written. EventSource cannot POST, so this is
// fetch + ReadableStream + our SSE parser.
import { buildHeaders } from './api-client.ts';
import { ApiError, toApiError } from './api-error.ts';
import type { ChatMessage, Usage } from './api-types.ts';
import { SseParser, type SseFrame } from './sse-parser.ts';

export type ChatStreamEvent =
  | { type: 'message-start'; messageId: string; model: string }
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; id: string; name: string; input: unknown }
  | { type: 'tool-result'; id: string; name: string; output: unknown }
  | { type: 'message-end'; messageId: string; model: string; finishReason: string; usage: Usage | null }
  | { type: 'title'; title: string }
  | { type: 'suggestions'; questions: string[] }
  | { type: 'error'; error: { code: string; message: string } };

/** One SSE frame as a typed event; unknown event names are skipped (null) so new server events never break us. */
export function toChatStreamEvent(frame: SseFrame): ChatStreamEvent | null {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(frame.data) as Record<string, unknown>;
  } catch {
    return null;
  }
  switch (frame.event) {
    case 'message-start':
      return { type: 'message-start', messageId: String(data.messageId ?? ''), model: String(data.model ?? '') };
    case 'text-delta':
      return { type: 'text-delta', text: String(data.text ?? '') };
    case 'tool-call':
      return { type: 'tool-call', id: String(data.id ?? ''), name: String(data.name ?? ''), input: data.input };
    case 'tool-result':
      return { type: 'tool-result', id: String(data.id ?? ''), name: String(data.name ?? ''), output: data.output };
    case 'message-end':
      return {
        type: 'message-end',
        messageId: String(data.messageId ?? ''),
        model: String(data.model ?? ''),
        finishReason: String(data.finishReason ?? ''),
        usage: (data.usage as Usage | undefined) ?? null,
      };
    case 'title':
      return { type: 'title', title: String(data.title ?? '') };
    case 'suggestions':
      return { type: 'suggestions', questions: Array.isArray(data.questions) ? data.questions.map(String) : [] };
    case 'error': {
      const error = (data.error ?? data) as { code?: unknown; message?: unknown };
      return { type: 'error', error: { code: String(error.code ?? 'error'), message: String(error.message ?? 'The answer failed.') } };
    }
    default:
      return null;
  }
}

/**
 * Sends `content` to the session and calls onEvent for each event until the stream closes.
 * A failure before the stream starts (409 session_busy, 402 budget_exhausted…) throws an ApiError.
 */
export async function streamChatMessage(
  sessionId: string,
  content: string,
  onEvent: (event: ChatStreamEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await fetch(`/api/chat/sessions/${encodeURIComponent(sessionId)}/messages`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: buildHeaders('POST', true, { accept: 'text/event-stream' }),
    body: JSON.stringify({ content }),
    signal,
  });
  if (!response.ok) throw await toApiError(response);

  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    // A server that answered with the whole message as JSON: replay it as events.
    const body = (await response.json()) as { message?: ChatMessage };
    const message = body.message;
    if (!message) throw new ApiError(response.status, 'unexpected_response', 'The server sent no answer.');
    onEvent({ type: 'message-start', messageId: message.id, model: message.model ?? '' });
    onEvent({ type: 'text-delta', text: message.content });
    onEvent({ type: 'message-end', messageId: message.id, model: message.model ?? '', finishReason: 'stop', usage: message.usage });
    return;
  }
  if (!response.body) throw new ApiError(response.status, 'unexpected_response', 'The answer stream is empty.');

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  const dispatch = (frames: SseFrame[]) => {
    for (const frame of frames) {
      const event = toChatStreamEvent(frame);
      if (event) onEvent(event);
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      dispatch(parser.feed(value));
    }
    dispatch(parser.end());
  } finally {
    reader.releaseLock();
  }
}
