// The Anthropic Messages wire without the AI SDK: the request body and the SSE stream decoded into neutral
// events. Each is what @ai-sdk/anthropic (4.0.x) built or yielded for our
// requests through ai-sdk-client.ts, field for field, so the recorded fixtures and tests keep their
// meaning; where we depart from it on purpose, the comment says so. Pure: the HTTP client owns the I/O.
import type { FinishReason, ModelCallRequest, NeutralMessage, ToolSpec, Usage } from '../provider.ts';
import { parseUpstreamFailure } from '../upstream-failure.ts';
import { isJsonObject, parseToolInput, StreamedFailure, unreadableAnswer, type EmitEvent, type WireDecoder } from '../wire-decoder.ts';

// ---- the request ----

type Block = Record<string, unknown>;

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** The POST /v1/messages body, keys in the SDK's order (model, max_tokens, temperature, system, messages, tools, tool_choice, stream). */
export function anthropicMessagesBody(request: ModelCallRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model: request.model, max_tokens: request.maxOutputTokens };
  // The SDK clamps to Anthropic's range instead of letting the API refuse the call.
  if (request.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, request.temperature));
  if (request.system !== undefined) body.system = [{ type: 'text', text: request.system }];
  body.messages = anthropicMessages(request.messages);
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((spec) => anthropicTool(spec, stream));
    body.tool_choice = { type: 'auto' };
  }
  if (stream) body.stream = true;
  return body;
}

function anthropicTool(spec: ToolSpec, stream: boolean): Block {
  // The SDK turns on fine-grained tool input streaming for every tool of a streamed call (it needs no beta header).
  return stream
    ? { name: spec.name, description: spec.description, input_schema: spec.inputSchema, eager_input_streaming: true }
    : { name: spec.name, description: spec.description, input_schema: spec.inputSchema };
}

/**
 * The SDK's grouping: user and tool messages in a row become one user message, assistant messages in a row
 * one assistant message with its tool_use blocks moved after its text. An assistant turn left without
 * content is dropped but still separates the user messages around it; a tool message without results is
 * not a message at all.
 */
function anthropicMessages(messages: readonly NeutralMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  let user: Block[] | null = null;
  let texts: Block[] | null = null;
  let toolUses: Block[] = [];
  // The last part of the latest assistant message, when it is text: trimmed if the prompt ends there.
  let tailText: Block | null = null;

  const closeAssistant = (): void => {
    if (texts === null) return;
    if (texts.length + toolUses.length > 0) out.push({ role: 'assistant', content: toolUses.length === 0 ? texts : texts.concat(toolUses) });
    texts = null;
    toolUses = [];
  };
  const closeUser = (): void => {
    if (user !== null) out.push({ role: 'user', content: user });
    user = null;
  };

  for (const message of messages) {
    if (message.role === 'assistant') {
      closeUser();
      texts ??= [];
      tailText = null;
      for (const part of message.parts) {
        if (part.type === 'text') {
          if (part.text === '') continue;
          tailText = { type: 'text', text: part.text };
          texts.push(tailText);
        } else {
          tailText = null;
          toolUses.push({ type: 'tool_use', id: part.id, name: part.name, input: toolUseInput(part.input ?? {}) });
        }
      }
      continue;
    }
    if (message.role === 'tool' && message.results.length === 0) continue;
    closeAssistant();
    tailText = null;
    user ??= [];
    if (message.role === 'user') {
      user.push({ type: 'text', text: message.content });
    } else {
      for (const result of message.results) {
        // The SDK sends our JSON outputs ({type:'json'} / {type:'error-json'}) as JSON text; undefined is null.
        const content = JSON.stringify(result.output) ?? 'null';
        user.push(result.isError ? { type: 'tool_result', tool_use_id: result.id, content, is_error: true } : { type: 'tool_result', tool_use_id: result.id, content });
      }
    }
  }
  // The SDK trims the final text of a prompt that ends on an assistant turn (Anthropic rejects trailing whitespace there).
  if (tailText !== null) tailText.text = (tailText.text as string).trim();
  closeAssistant();
  closeUser();
  return out;
}

/** A tool call's input as the SDK sends it: an object as is, JSON text of an object parsed, anything else wrapped. */
function toolUseInput(input: unknown): unknown {
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isJsonObject(parsed)) return parsed;
    } catch {
      // not JSON: wrapped below
    }
  }
  return isJsonObject(input) ? input : { rawInvalidInput: input };
}

// ---- what both answers share ----

/** The SDK's mapAnthropicStopReason, then ai-sdk-client's mapFinishReason. */
function mapAnthropicStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'tool_use':
      return 'tool-calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  iterations?: Array<{ type: string; input_tokens: number; output_tokens: number }> | null;
}

/**
 * The SDK's usage arithmetic: input counts the cache writes and reads on top of input_tokens; when the
 * API itemises server-side iterations (compaction), the executor's iterations are summed instead.
 */
function totalUsage(input: number, output: number, cacheWrite: number, cacheRead: number, iterations: WireUsage['iterations']): Usage {
  if (iterations && iterations.length > 0 && !iterations.some((i) => i.type === 'fallback_message')) {
    let summedInput = 0;
    let summedOutput = 0;
    let executors = 0;
    for (const iteration of iterations) {
      if (iteration.type !== 'compaction' && iteration.type !== 'message') continue;
      summedInput += iteration.input_tokens;
      summedOutput += iteration.output_tokens;
      executors++;
    }
    if (executors > 0) {
      input = summedInput;
      output = summedOutput;
    }
  }
  return { inputTokens: input + cacheWrite + cacheRead, outputTokens: output };
}

// ---- the stream ----

interface WireEvent {
  type?: unknown;
  index?: number;
  message?: { id?: string | null; model?: string | null; usage?: WireUsage; stop_reason?: string | null; content?: WireBlock[] | null };
  content_block?: WireBlock;
  delta?: { type?: unknown; text?: unknown; partial_json?: unknown; stop_reason?: string | null };
  usage?: WireUsage;
  error?: { type?: unknown };
}

interface WireBlock {
  type?: unknown;
  id?: string;
  name?: string;
  input?: unknown;
}

interface OpenToolCall {
  id: string;
  name: string;
  input: string;
}

/** The status an error event's type stands for, as the SDK infers it (it decides retries and the message). */
function streamErrorStatus(type: unknown): number | null {
  switch (type) {
    case 'api_error':
      return 500;
    case 'overloaded_error':
      return 529;
    case 'rate_limit_error':
      return 429;
    case 'request_too_large':
      return 413;
    case 'authentication_error':
      return 401;
    case 'permission_error':
      return 403;
    case 'not_found_error':
      return 404;
    case 'billing_error':
    case 'invalid_request_error':
      return 400;
    default:
      return null;
  }
}

class AnthropicDecoder implements WireDecoder {
  readonly #requestedModel: string;
  readonly #providerName: string;
  #finished = false;
  #responseModel: string;
  #messageOpen = false;
  #messageId: string | null | undefined;
  #finishReason: FinishReason = 'other';
  #inputTokens = 0;
  #outputTokens = 0;
  #cacheWrite = 0;
  #cacheRead = 0;
  #iterations: WireUsage['iterations'] = null;
  // Only tool_use blocks are remembered: text deltas go straight out.
  readonly #toolCalls = new Map<number, OpenToolCall>();

  constructor(requestedModel: string, providerName: string) {
    this.#requestedModel = requestedModel;
    this.#providerName = providerName;
    this.#responseModel = requestedModel;
  }

  get finished(): boolean {
    return this.#finished;
  }

  push(_event: string, data: string, emit: EmitEvent): void {
    // Dispatch on the data's own type, as the SDK does: Anthropic repeats it in `event:`.
    let chunk: WireEvent;
    try {
      chunk = JSON.parse(data) as WireEvent;
    } catch (error) {
      throw unreadableAnswer(this.#providerName, 'a stream event that is not JSON', error);
    }
    if (typeof chunk !== 'object' || chunk === null) throw unreadableAnswer(this.#providerName, 'a stream event that is not an object');
    switch (chunk.type) {
      case 'content_block_delta':
        return this.#delta(chunk, emit);
      case 'content_block_start':
        return this.#blockStart(chunk);
      case 'content_block_stop':
        return this.#blockStop(chunk, emit);
      case 'message_start':
        return this.#messageStart(chunk, emit);
      case 'message_delta':
        return this.#messageDelta(chunk);
      case 'message_stop':
        return this.#messageStop(emit);
      case 'error':
        throw this.#streamedFailure(chunk);
      default:
        // ping, and event types newer than this code: Anthropic's versioning policy asks clients to skip them.
        // (The SDK's schema rejects unknown types; we stay readable instead.)
        return;
    }
  }

  end(_emit: EmitEvent): void {
    // Anthropic always ends with message_stop: without it the answer is incomplete, and `finished` says so.
  }

  #delta(chunk: WireEvent, emit: EmitEvent): void {
    const delta = chunk.delta;
    if (typeof delta !== 'object' || delta === null) throw unreadableAnswer(this.#providerName, 'a content_block_delta without its delta');
    if (delta.type === 'text_delta') {
      const text = delta.text;
      if (typeof text !== 'string') throw unreadableAnswer(this.#providerName, 'a text_delta without text');
      if (text !== '') emit({ type: 'text-delta', text });
    } else if (delta.type === 'input_json_delta') {
      const fragment = delta.partial_json;
      if (typeof fragment !== 'string') throw unreadableAnswer(this.#providerName, 'an input_json_delta without partial_json');
      if (fragment === '') return;
      const call = this.#toolCalls.get(chunk.index as number);
      if (call !== undefined) call.input += fragment;
    }
    // thinking, signature and citation deltas carry nothing the neutral events show.
  }

  #blockStart(chunk: WireEvent): void {
    const block = chunk.content_block;
    if (typeof block !== 'object' || block === null) throw unreadableAnswer(this.#providerName, 'a content_block_start without its block');
    if (block.type !== 'tool_use') return;
    if (typeof block.id !== 'string' || typeof block.name !== 'string') throw unreadableAnswer(this.#providerName, 'a tool_use block without id or name');
    // The input starts as the block's own input when it is not the usual empty {}.
    const initial = block.input && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
    this.#toolCalls.set(chunk.index as number, { id: block.id, name: block.name, input: initial });
  }

  #blockStop(chunk: WireEvent, emit: EmitEvent): void {
    const call = this.#toolCalls.get(chunk.index as number);
    if (call === undefined) return;
    this.#toolCalls.delete(chunk.index as number);
    emit({ type: 'tool-call', id: call.id, name: call.name, input: parseToolInput(call.input) });
  }

  #messageStart(chunk: WireEvent, emit: EmitEvent): void {
    const message = chunk.message;
    const usage = message?.usage;
    if (message === undefined || message === null || typeof usage?.input_tokens !== 'number') {
      throw unreadableAnswer(this.#providerName, 'a message_start without input usage');
    }
    if (this.#messageOpen) {
      // The SDK skips a repeated start of the same message and fails on a second message inside the first.
      if (message.id === this.#messageId) return;
      throw unreadableAnswer(this.#providerName, 'a second message_start inside an open message');
    }
    this.#messageOpen = true;
    this.#messageId = message.id;
    this.#inputTokens = usage.input_tokens;
    this.#cacheRead = usage.cache_read_input_tokens ?? 0;
    this.#cacheWrite = usage.cache_creation_input_tokens ?? 0;
    if (message.stop_reason != null) this.#finishReason = mapAnthropicStopReason(message.stop_reason);
    if (message.model) this.#responseModel = message.model;
    // A message may start with finished tool calls (never seen from Anthropic itself; the SDK relays them).
    for (const block of message.content ?? []) {
      if (block.type !== 'tool_use') continue;
      emit({ type: 'tool-call', id: block.id as string, name: block.name as string, input: parseToolInput(JSON.stringify(block.input ?? {})) });
    }
  }

  #messageDelta(chunk: WireEvent): void {
    const usage = chunk.usage;
    if (typeof usage?.output_tokens !== 'number' || typeof chunk.delta !== 'object' || chunk.delta === null) {
      throw unreadableAnswer(this.#providerName, 'a message_delta without output usage');
    }
    // Cumulative counts: a later number replaces the earlier one.
    if (usage.input_tokens != null) this.#inputTokens = usage.input_tokens;
    this.#outputTokens = usage.output_tokens;
    if (usage.cache_read_input_tokens != null) this.#cacheRead = usage.cache_read_input_tokens;
    if (usage.cache_creation_input_tokens != null) this.#cacheWrite = usage.cache_creation_input_tokens;
    if (usage.iterations != null) this.#iterations = usage.iterations;
    this.#finishReason = mapAnthropicStopReason(chunk.delta.stop_reason);
  }

  #messageStop(emit: EmitEvent): void {
    this.#messageOpen = false;
    this.#messageId = undefined;
    this.#finished = true;
    emit({
      type: 'finish',
      finishReason: this.#finishReason,
      usage: totalUsage(this.#inputTokens, this.#outputTokens, this.#cacheWrite, this.#cacheRead, this.#iterations),
      model: this.#requestedModel,
      responseModel: this.#responseModel,
    });
  }

  #streamedFailure(chunk: WireEvent): Error {
    if (!isJsonObject(chunk.error)) return unreadableAnswer(this.#providerName, 'an error event without its error');
    return new StreamedFailure(parseUpstreamFailure(streamErrorStatus(chunk.error.type), chunk));
  }
}

/** A decoder for one streamed Messages call; `providerName` names the provider in errors ("Azure AI Foundry"). */
export function createAnthropicDecoder(requestedModel: string, providerName = 'Anthropic'): WireDecoder {
  return new AnthropicDecoder(requestedModel, providerName);
}
