// The neutral conversation → the AI SDK's ModelMessage list. Pure: the same history runs on any provider.
import type { JSONValue, ModelMessage } from 'ai';
import type { NeutralMessage } from './provider.ts';

/** A tool's output as JSON: undefined becomes null, and anything JSON cannot carry is dropped the way JSON.stringify does. */
export function toJsonValue(value: unknown): JSONValue {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JSONValue);
}

export function convertToModelMessages(messages: readonly NeutralMessage[]): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    switch (message.role) {
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant':
        return {
          role: 'assistant',
          content: message.parts.map((part) =>
            part.type === 'text'
              ? { type: 'text' as const, text: part.text }
              : { type: 'tool-call' as const, toolCallId: part.id, toolName: part.name, input: part.input ?? {} },
          ),
        };
      case 'tool':
        return {
          role: 'tool',
          content: message.results.map((result) => ({
            type: 'tool-result' as const,
            toolCallId: result.id,
            toolName: result.name,
            output: result.isError
              ? { type: 'error-json' as const, value: toJsonValue(result.output) }
              : { type: 'json' as const, value: toJsonValue(result.output) },
          })),
        };
    }
  });
}
