// OpenAI Chat Completions shapes (fixtures openai/*, azure/chat-content-filter-fields): requests
// reduced to a SimConversation, turns rendered as a completion or as stream chunks, in OpenAI's
// own flavour or Azure's (content filter annotations, alphabetical keys, a leading filter chunk).
import { extractDirectives } from './sim-directives.ts';
import { obfuscation } from './sim-ids.ts';
import type { SimConversation, SimTool, SimTurn } from './sim-script.ts';
import type { SimSseEvent } from './sim-sse.ts';

export type OpenAIFlavour = 'openai' | 'azure';

export function openaiErrorBody(message: string, type: string | null, param: string | null, code: string | null): unknown {
  return { error: { message, type, param, code } };
}

export interface OpenAIAnswer {
  flavour: OpenAIFlavour;
  id: string;
  created: number;
  model: string;
  turn: SimTurn;
  toolCallId: string;
  promptTokens: number;
  /** Hidden reasoning tokens (reasoning models), counted in completion_tokens. */
  reasoningTokens: number;
  includeUsage: boolean;
  /** The answer ends as filtered output (Azure content-filter-output). */
  filtered: boolean;
}

const SYSTEM_FINGERPRINT = 'fp_sim0mosaic';
const SAFE = { filtered: false, severity: 'safe' };
const SAFE_OUTPUT = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const FILTERED_OUTPUT = { ...SAFE_OUTPUT, violence: { filtered: true, severity: 'medium' } };
export const AZURE_PROMPT_FILTER_RESULTS = [
  { prompt_index: 0, content_filter_results: { hate: SAFE, jailbreak: { filtered: false, detected: false }, self_harm: SAFE, sexual: SAFE, violence: SAFE } },
];

export function openaiFinishReason(a: OpenAIAnswer): string {
  if (a.filtered) return 'content_filter';
  if (a.turn.kind === 'tool') return 'tool_calls';
  return a.turn.truncated ? 'length' : 'stop';
}

function completionTokens(a: OpenAIAnswer): number {
  return a.reasoningTokens + (a.turn.kind === 'tool' ? a.turn.outputTokens : a.turn.chunks.length);
}

export function openaiUsage(a: OpenAIAnswer): Record<string, unknown> {
  const completion = completionTokens(a);
  if (a.flavour === 'azure') {
    return {
      completion_tokens: completion,
      completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: a.reasoningTokens, rejected_prediction_tokens: 0 },
      prompt_tokens: a.promptTokens,
      prompt_tokens_details: { audio_tokens: 0, cached_tokens: 0 },
      total_tokens: a.promptTokens + completion,
    };
  }
  return {
    prompt_tokens: a.promptTokens,
    completion_tokens: completion,
    total_tokens: a.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: a.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function toolCall(a: OpenAIAnswer): { id: string; type: 'function'; function: { name: string; arguments: string } } | null {
  if (a.turn.kind !== 'tool') return null;
  return { id: a.toolCallId, type: 'function', function: { name: a.turn.name, arguments: JSON.stringify(a.turn.input) } };
}

/** The non-stream answer. */
export function openaiCompletion(a: OpenAIAnswer): unknown {
  const call = toolCall(a);
  const content = a.turn.kind === 'text' ? a.turn.chunks.join('') : null;
  const finish = openaiFinishReason(a);
  if (a.flavour === 'azure') {
    const message = { annotations: [], content, refusal: null, role: 'assistant', ...(call ? { tool_calls: [call] } : {}) };
    return {
      choices: [{ content_filter_results: a.filtered ? FILTERED_OUTPUT : SAFE_OUTPUT, finish_reason: finish, index: 0, logprobs: null, message }],
      created: a.created,
      id: a.id,
      model: a.model,
      object: 'chat.completion',
      prompt_filter_results: AZURE_PROMPT_FILTER_RESULTS,
      system_fingerprint: SYSTEM_FINGERPRINT,
      usage: openaiUsage(a),
    };
  }
  const message = { role: 'assistant', content, ...(call ? { tool_calls: [call] } : {}), refusal: null, annotations: [] };
  return {
    id: a.id,
    object: 'chat.completion',
    created: a.created,
    model: a.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: openaiUsage(a),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/** The stream's `data:` payloads, ending with `[DONE]`, in the recorded order. */
export function openaiStreamEvents(a: OpenAIAnswer): SimSseEvent[] {
  const events: SimSseEvent[] = [];
  const push = (data: unknown, output = false) => events.push({ event: null, data, output });
  if (a.flavour === 'azure') push({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: AZURE_PROMPT_FILTER_RESULTS });
  const chunk = (delta: Record<string, unknown>, finish: string | null, filter: unknown) =>
    a.flavour === 'azure'
      ? {
          choices: [{ content_filter_results: filter, delta, finish_reason: finish, index: 0, logprobs: null }],
          created: a.created,
          id: a.id,
          model: a.model,
          obfuscation: obfuscation(),
          object: 'chat.completion.chunk',
          system_fingerprint: null,
          ...(a.includeUsage ? { usage: null } : {}),
        }
      : {
          id: a.id,
          object: 'chat.completion.chunk',
          created: a.created,
          model: a.model,
          service_tier: 'default',
          system_fingerprint: SYSTEM_FINGERPRINT,
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...(a.includeUsage ? { usage: null } : {}),
          obfuscation: obfuscation(),
        };
  if (a.turn.kind === 'tool') {
    const call = toolCall(a) as NonNullable<ReturnType<typeof toolCall>>;
    push(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }], refusal: null }, null, {}));
    for (const fragment of splitArguments(call.function.arguments)) {
      push(chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }, null, {}), true);
    }
  } else {
    push(chunk(a.flavour === 'azure' ? { content: '', refusal: null, role: 'assistant' } : { role: 'assistant', content: '', refusal: null }, null, {}));
    for (const content of a.turn.chunks) push(chunk({ content }, null, SAFE_OUTPUT), true);
  }
  push(chunk({}, openaiFinishReason(a), a.filtered ? FILTERED_OUTPUT : {}));
  if (a.includeUsage) {
    const usage = openaiUsage(a);
    push(
      a.flavour === 'azure'
        ? { choices: [], created: a.created, id: a.id, model: a.model, obfuscation: obfuscation(), object: 'chat.completion.chunk', system_fingerprint: null, usage }
        : { id: a.id, object: 'chat.completion.chunk', created: a.created, model: a.model, service_tier: 'default', system_fingerprint: SYSTEM_FINGERPRINT, choices: [], usage, obfuscation: obfuscation() },
    );
  }
  push('[DONE]');
  return events;
}

/** The mid-stream failure as OpenAI sends it: a `data:` line holding an error. */
export function openaiStreamError(): SimSseEvent {
  return { event: null, data: openaiErrorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null, null) };
}

function splitArguments(json: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < json.length; at += 8) pieces.push(json.slice(at, at + 8));
  return pieces.length > 0 ? pieces : [''];
}

type ChatMessage = { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p: { type?: unknown; text?: unknown }) => (p?.type === 'text' && typeof p.text === 'string' ? p.text : '')).join(' ');
}

/** Reduces a Chat Completions request to what the script needs, plus the directives in the human message. */
export function openaiConversation(body: Record<string, unknown>): { conversation: SimConversation; directives: string[] } {
  const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
  let human = -1;
  messages.forEach((m, i) => {
    if (m?.role === 'user') human = i;
  });
  const { directives, text } = extractDirectives(human >= 0 ? textOf(messages[human]?.content) : '');
  const toolNames = new Map<string, string>();
  let stepsDone = 0;
  const toolResults: SimConversation['toolResults'] = [];
  for (const m of messages.slice(human + 1)) {
    if (m?.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
      stepsDone += 1;
      for (const call of m.tool_calls as Array<{ id?: unknown; function?: { name?: unknown } }>) toolNames.set(String(call?.id), String(call?.function?.name));
    }
    if (m?.role === 'tool') toolResults.push({ name: toolNames.get(String(m.tool_call_id)) ?? 'tool', output: textOf(m.content) });
  }
  const tools: SimTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ function?: { name?: unknown; parameters?: unknown } }>)
        .filter((t) => typeof t?.function?.name === 'string')
        .map((t) => ({ name: t.function?.name as string, inputSchema: t.function?.parameters }))
    : [];
  const instructions = messages
    .filter((m) => m?.role === 'system' || m?.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
  return { conversation: { question: text, tools, toolsForbidden: body.tool_choice === 'none', stepsDone, toolResults, instructions }, directives };
}
