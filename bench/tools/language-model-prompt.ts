// The neutral conversation → the provider spec's LanguageModelV4Prompt, for calling a model's doStream
// directly: provider-call-cost.ts measures the AI SDK's streaming path with it (Mosaic itself streams on
// its own wire). The same result the AI SDK's streamText builds from convertToModelMessages() for our
// message shapes: the system prompt first, empty assistant text parts dropped, consecutive tool messages
// merged into one.
import type { LanguageModelV4Prompt, LanguageModelV4ToolResultPart } from '@ai-sdk/provider';
import { toJsonValue } from '../../src/providers/convert-to-model-messages.ts';
import type { NeutralMessage } from '../../src/providers/provider.ts';

type PromptMessage = LanguageModelV4Prompt[number];

export function convertToLanguageModelPrompt(system: string | undefined, messages: readonly NeutralMessage[]): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = system === undefined ? [] : [{ role: 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        prompt.push({ role: 'user', content: [{ type: 'text', text: message.content }] });
        break;
      case 'assistant':
        prompt.push({
          role: 'assistant',
          content: message.parts
            .filter((part) => part.type !== 'text' || part.text !== '')
            .map((part) =>
              part.type === 'text'
                ? { type: 'text' as const, text: part.text }
                : { type: 'tool-call' as const, toolCallId: part.id, toolName: part.name, input: part.input ?? {} },
            ),
        });
        break;
      case 'tool': {
        const content: LanguageModelV4ToolResultPart[] = message.results.map((result) => ({
          type: 'tool-result',
          toolCallId: result.id,
          toolName: result.name,
          output: result.isError ? { type: 'error-json', value: toJsonValue(result.output) } : { type: 'json', value: toJsonValue(result.output) },
        }));
        const last: PromptMessage | undefined = prompt[prompt.length - 1];
        if (last?.role === 'tool') last.content.push(...content);
        else if (content.length > 0) prompt.push({ role: 'tool', content });
        break;
      }
    }
  }
  return prompt;
}
