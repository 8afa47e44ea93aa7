// OpenAI Chat Completions on the wire, spoken by us: the request body and the stream decoder, each what the AI SDK's chat model sent and read for Mosaic's requests until the
// chat stopped going through it (same body as JSON, same neutral events, usage and finish reasons).
// Pure: wire-client.ts owns the sockets, clocks and retries.
//
// Two dialects, because @ai-sdk/azure bundles its own, older copy of the OpenAI chat model
// (@ai-sdk/openai 4.0.81 against 4.0.118 for OpenAI), and the two differ on our requests: see
// OpenAIChatDialect. The tool schemas go out as given: the SDK's normalizeOpenAIJsonSchema only rewrites
// `propertyNames`, regex lookaround in `pattern` and single-`$ref` `allOf`, which Mosaic's tools do not use.
import { randomUUID } from 'node:crypto';
import { toJsonValue } from '../convert-to-model-messages.ts';
import type { FinishReason, ModelCallRequest, NeutralMessage, ToolSpec, Usage } from '../provider.ts';
import { parseUpstreamFailure } from '../upstream-failure.ts';
import { isJsonObject, parseToolInput, StreamedFailure, unreadableAnswer, type EmitEvent, type WireDecoder } from '../wire-decoder.ts';

/**
 * 'openai' is OpenAI's chat model, 'azure' the copy inside @ai-sdk/azure, which: sends a failed tool's
 * output as its JSON (OpenAI's wraps it in {"error": …}), sends a tool call's input kept as text as "{}",
 * never sets reasoning_effort, and does not read `refusal` (no refusal text, no content-filter finish for it).
 */
export type OpenAIChatDialect = 'openai' | 'azure';

// ---- the request ----

const O_SERIES = /^o\d+(?:-|$)/;
const GPT_VERSION = /^gpt-(\d+)(?:\.(\d+))?(?:-(.+))?$/;

/** What the SDK decides from the model id alone (for Azure, the deployment name, as the SDK sees it). */
interface ModelRules {
  /** o-series and GPT-5+ (not gpt-5-chat…): system prompt as `developer`, no temperature. */
  reasoning: boolean;
  /** GPT-5.6 and later 5.x on Chat Completions: function tools only without reasoning, so reasoning_effort "none". */
  toolsWithoutReasoning: boolean;
  /** GPT-5.1 and later 5.x take a temperature again when reasoning_effort is "none". */
  samplesWithoutReasoning: boolean;
  /** The search preview models reject temperature. */
  searchPreview: boolean;
}

function modelRules(model: string): ModelRules {
  const gpt = GPT_VERSION.exec(model);
  const major = gpt === null ? null : Number(gpt[1]);
  const minor = gpt?.[2] === undefined ? null : Number(gpt[2]);
  const chatVariant = minor === null && (gpt?.[3]?.startsWith('chat') ?? false);
  return {
    reasoning: O_SERIES.test(model) || (major !== null && major >= 5 && !chatVariant),
    toolsWithoutReasoning: major === 5 && (minor ?? 0) >= 6,
    samplesWithoutReasoning: major === 5 && (minor ?? 0) >= 1,
    searchPreview: model.startsWith('gpt-4o-search-preview') || model.startsWith('gpt-4o-mini-search-preview'),
  };
}

/** A tool call's input as its `arguments` string: only an object is sent, anything else becomes "{}". */
function toolArguments(input: unknown, dialect: OpenAIChatDialect): string {
  if (typeof input === 'string') {
    // Input kept as text (a model's unreadable arguments): OpenAI's copy sends it when it is a JSON object.
    if (dialect === 'azure') return '{}';
    try {
      return isJsonObject(JSON.parse(input)) ? input : '{}';
    } catch {
      return '{}';
    }
  }
  return JSON.stringify(isJsonObject(input) ? input : {});
}

function chatMessages(system: string | undefined, messages: readonly NeutralMessage[], reasoning: boolean, dialect: OpenAIChatDialect): unknown[] {
  const out: unknown[] = system === undefined ? [] : [{ role: reasoning ? 'developer' : 'system', content: system }];
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        let text = '';
        let toolCalls: unknown[] | undefined;
        for (const part of message.parts) {
          if (part.type === 'text') text += part.text;
          else (toolCalls ??= []).push({ id: part.id, type: 'function', function: { name: part.name, arguments: toolArguments(part.input ?? {}, dialect) } });
        }
        // With tool calls, no text is null rather than "".
        out.push(toolCalls === undefined ? { role: 'assistant', content: text } : { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls });
        break;
      }
      case 'tool':
        for (const result of message.results) {
          const value = toJsonValue(result.output);
          const content = result.isError && dialect === 'openai' ? { error: value } : value;
          out.push({ role: 'tool', tool_call_id: result.id, content: JSON.stringify(content) });
        }
        break;
    }
  }
  return out;
}

function chatTools(specs: readonly ToolSpec[]): unknown[] {
  return specs.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } }));
}

/** The JSON body of POST …/chat/completions for one call; `model` is the model id or the Azure deployment. */
export function openAIChatBody(request: ModelCallRequest, stream: boolean, dialect: OpenAIChatDialect = 'openai'): Record<string, unknown> {
  const rules = modelRules(request.model);
  const hasTools = request.tools !== undefined && request.tools.length > 0;
  const effortNone = dialect === 'openai' && hasTools && rules.toolsWithoutReasoning;
  const keepsTemperature = rules.reasoning ? effortNone && rules.samplesWithoutReasoning : !rules.searchPreview;
  // Key order as the SDK wrote them (JSON equality does not need it; a reader of captured traffic does).
  const body: Record<string, unknown> = { model: request.model };
  if (request.temperature !== undefined && keepsTemperature) body.temperature = request.temperature;
  // max_completion_tokens, never max_tokens: reasoning models reject it (openai-client.ts).
  body.max_completion_tokens = request.maxOutputTokens;
  if (effortNone) body.reasoning_effort = 'none';
  body.messages = chatMessages(request.system, request.messages, rules.reasoning, dialect);
  if (hasTools) {
    body.tools = chatTools(request.tools as ToolSpec[]);
    body.tool_choice = 'auto';
  }
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

// ---- the answer ----

/** finish_reason as the SDK unified it; a refusal ends as content-filter. */
export function mapOpenAIChatFinishReason(reason: string | null, refused: boolean): FinishReason {
  switch (reason) {
    case 'stop':
      return refused ? 'content-filter' : 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'function_call':
    case 'tool_calls':
      return 'tool-calls';
    default:
      return 'other';
  }
}

/** A token count as the SDK read it: absent is 0, anything but a number is not OpenAI's shape. */
function tokenCount(value: unknown, providerName: string): number {
  if (typeof value === 'number') return value;
  if (value === undefined || value === null) return 0;
  throw unreadableAnswer(providerName, 'a token count that is not a number');
}

function optionalString(value: unknown, providerName: string, what: string): string | null {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return null;
  throw unreadableAnswer(providerName, what);
}

/**
 * The status an error chunk stands for, as the SDK inferred it (a 3-digit code, else words in its code and
 * type, else 500): it decides the contract code, the message and whether the call is retried.
 */
function streamErrorStatus(error: Record<string, unknown>): number {
  const { code, type } = error;
  const explicit = typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : code;
  if (typeof explicit === 'number' && Number.isInteger(explicit) && explicit >= 400 && explicit <= 599) return explicit;
  const said = `${typeof code === 'string' || typeof code === 'number' ? code : ''} ${typeof type === 'string' ? type : ''}`.toLowerCase();
  if (said.includes('insufficient_quota') || said.includes('rate_limit')) return 429;
  if (said.includes('authentication')) return 401;
  if (said.includes('permission')) return 403;
  if (said.includes('not_found')) return 404;
  if (said.includes('invalid') || said.includes('bad_request') || said.includes('context_length')) return 400;
  if (said.includes('overload')) return 503;
  if (said.includes('timeout')) return 504;
  return 500;
}

function nonBlank(value: string | null): string | null {
  return value !== null && value.trim() !== '' ? value : null;
}

function generatedToolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '')}`;
}

interface StreamedToolCall {
  index: number;
  /** The id the wire gave the call (null when none), to tell a new call reusing the index. */
  wireId: string | null;
  id: string;
  name: string;
  args: string;
}

class OpenAIChatDecoder implements WireDecoder {
  readonly #requestedModel: string;
  readonly #providerName: string;
  readonly #readsRefusal: boolean;
  #finished = false;
  #finishReason: string | null = null;
  #refused = false;
  #inputTokens = 0;
  #outputTokens = 0;
  #metadataSeen = false;
  #responseModel: string;
  /** In the order they started; each index maps to the call open there. */
  readonly #toolCalls: StreamedToolCall[] = [];
  readonly #openByIndex = new Map<number, StreamedToolCall>();
  readonly #usedIds = new Set<string>();

  constructor(requestedModel: string, providerName: string, dialect: OpenAIChatDialect) {
    this.#requestedModel = requestedModel;
    this.#responseModel = requestedModel;
    this.#providerName = providerName;
    this.#readsRefusal = dialect === 'openai';
  }

  get finished(): boolean {
    return this.#finished;
  }

  push(_event: string, data: string, emit: EmitEvent): void {
    if (this.#finished) return;
    if (data === '[DONE]') {
      this.#finish(emit);
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw unreadableAnswer(this.#providerName, 'a stream event that is not JSON');
    }
    if (!isJsonObject(chunk)) throw unreadableAnswer(this.#providerName, 'a stream event that is not an object');
    const choices = chunk.choices;
    if (!Array.isArray(choices)) {
      const error = chunk.error;
      if (isJsonObject(error) && typeof error.message === 'string') throw new StreamedFailure(parseUpstreamFailure(streamErrorStatus(error), chunk));
      throw unreadableAnswer(this.#providerName, 'a stream event without choices');
    }
    // The first chunk naming an id, model or time is the response's metadata (Azure's leading filter
    // chunk has "", "" and 0, so it is passed over).
    if (!this.#metadataSeen && (chunk.id || chunk.model || chunk.created)) {
      this.#metadataSeen = true;
      const model = optionalString(chunk.model, this.#providerName, 'a model that is not a string');
      if (model) this.#responseModel = model;
    }
    const usage = chunk.usage;
    if (usage !== undefined && usage !== null) {
      if (!isJsonObject(usage)) throw unreadableAnswer(this.#providerName, 'usage that is not an object');
      // Reasoning and cached tokens are inside these totals already, as the SDK counted them.
      this.#inputTokens = tokenCount(usage.prompt_tokens, this.#providerName);
      this.#outputTokens = tokenCount(usage.completion_tokens, this.#providerName);
    }
    const choice: unknown = choices[0];
    if (choice === undefined) return;
    if (!isJsonObject(choice)) throw unreadableAnswer(this.#providerName, 'a choice that is not an object');
    const finishReason = optionalString(choice.finish_reason, this.#providerName, 'a finish_reason that is not a string');
    if (finishReason !== null) this.#finishReason = finishReason;
    const delta = choice.delta;
    if (delta === undefined || delta === null) return;
    if (!isJsonObject(delta)) throw unreadableAnswer(this.#providerName, 'a delta that is not an object');
    const content = optionalString(delta.content, this.#providerName, 'content that is not a string');
    const refusal = this.#readsRefusal ? optionalString(delta.refusal, this.#providerName, 'a refusal that is not a string') : null;
    const toolCalls = delta.tool_calls;
    if (toolCalls !== undefined && toolCalls !== null) {
      if (!Array.isArray(toolCalls)) throw unreadableAnswer(this.#providerName, 'tool_calls that is not a list');
      for (const toolCall of toolCalls) this.#toolCallDelta(toolCall);
    }
    if (content !== null && content !== '') emit({ type: 'text-delta', text: content });
    if (refusal !== null && refusal !== '') {
      this.#refused = true;
      emit({ type: 'text-delta', text: refusal });
    }
  }

  end(emit: EmitEvent): void {
    // Cut before [DONE] but after the model said why it stopped: complete, as the SDK's flush had it.
    if (!this.#finished && this.#finishReason !== null) this.#finish(emit);
  }

  // The first delta of a call brings its id and name, the rest pieces of its arguments, all at one index.
  #toolCallDelta(delta: unknown): void {
    const name = this.#providerName;
    if (!isJsonObject(delta) || typeof delta.index !== 'number' || !isJsonObject(delta.function)) throw unreadableAnswer(name, 'a tool call delta without index or function');
    if (delta.type !== undefined && delta.type !== null && delta.type !== 'function') throw unreadableAnswer(name, 'a tool call that is not a function');
    const wireId = nonBlank(optionalString(delta.id, name, 'a tool call id that is not a string'));
    const rawName = optionalString(delta.function.name, name, 'a tool name that is not a string');
    const toolName = nonBlank(rawName);
    const args = optionalString(delta.function.arguments, name, 'tool arguments that are not a string');
    const open = this.#openByIndex.get(delta.index);
    // A gateway may reuse an index for the next call: a new id with a name, or another name, starts one.
    const startsAnother = open !== undefined && toolName !== null && (toolName !== open.name || (wireId !== null && wireId !== open.wireId));
    if (open !== undefined && !startsAnother) {
      if (args !== null) open.args += args;
      return;
    }
    if (rawName !== null && toolName === null) return; // a blank name: the SDK dropped the delta
    if (toolName === null) throw unreadableAnswer(name, 'a tool call without a name');
    const call: StreamedToolCall = { index: delta.index, wireId, id: this.#newToolCallId(wireId), name: toolName, args: args ?? '' };
    this.#toolCalls.push(call);
    this.#openByIndex.set(delta.index, call);
  }

  #newToolCallId(wireId: string | null): string {
    let id = wireId !== null && !this.#usedIds.has(wireId) ? wireId : generatedToolCallId();
    while (this.#usedIds.has(id)) id = generatedToolCallId();
    this.#usedIds.add(id);
    return id;
  }

  #finish(emit: EmitEvent): void {
    // Tool calls come whole, ordered by index, just before the finish (the SDK's flush).
    const calls = this.#toolCalls;
    if (calls.length > 1) calls.sort((a, b) => a.index - b.index);
    for (const call of calls) emit({ type: 'tool-call', id: call.id, name: call.name, input: parseToolInput(call.args) });
    this.#finished = true;
    const usage: Usage = { inputTokens: this.#inputTokens, outputTokens: this.#outputTokens };
    emit({
      type: 'finish',
      finishReason: mapOpenAIChatFinishReason(this.#finishReason, this.#refused),
      usage,
      model: this.#requestedModel,
      responseModel: this.#responseModel,
    });
  }
}

/** The stream decoder for one call (`data:` lines, `[DONE]` at the end). */
export function createOpenAIChatDecoder(requestedModel: string, providerName = 'OpenAI', dialect: OpenAIChatDialect = 'openai'): WireDecoder {
  return new OpenAIChatDecoder(requestedModel, providerName, dialect);
}
