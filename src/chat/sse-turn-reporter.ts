// A chat turn's events as the contract's SSE stream, and the silent reporter of the JSON mode.
import type { TurnReporter } from './chat-turn.ts';
import type { SseWriter } from './sse-writer.ts';

export function sseTurnReporter(sse: SseWriter): TurnReporter {
  return {
    start: (data) => sse.send({ event: 'message-start', data }),
    // Called once per relayed chunk: straight to the writer, no async wrapper (a promise per chunk fewer).
    textDelta: (text) => sse.sendText(text),
    toolCall: (call) => sse.send({ event: 'tool-call', data: call }),
    toolResult: (result) => sse.send({ event: 'tool-result', data: result }),
    end: (data) =>
      sse.send({
        event: 'message-end',
        data: { messageId: data.messageId, model: data.model, finishReason: data.finishReason, usage: { inputTokens: data.usage.inputTokens, outputTokens: data.usage.outputTokens } },
      }),
    title: (title) => sse.send({ event: 'title', data: { title } }),
    suggestions: (questions) => sse.send({ event: 'suggestions', data: { questions } }),
  };
}

const nothing = async () => {};

/** The JSON mode: the answer is returned whole once complete. */
export const silentTurnReporter: TurnReporter = {
  start: nothing,
  // Per chunk: nothing to await (no promise per chunk).
  textDelta: () => undefined,
  toolCall: nothing,
  toolResult: nothing,
  end: nothing,
  title: nothing,
  suggestions: nothing,
};
