// Anthropic Messages API shapes (fixtures anthropic/*): requests reduced to a SimConversation, turns
// rendered as a message or as the SSE event sequence, and the error body.
import { extractDirectives } from './sim-directives.ts';
import type { SimConversation, SimTool, SimTurn } from './sim-script.ts';
import type { SimSseEvent } from './sim-sse.ts';

export function anthropicErrorBody(type: string, message: string, requestId: string): unknown {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** The full usage object of a message (and of message_start). */
export function anthropicUsage(inputTokens: number, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
    inference_geo: 'not_available',
  };
}

export interface AnthropicAnswer {
  id: string;
  model: string;
  turn: SimTurn;
  toolUseId: string;
  inputTokens: number;
}

export function anthropicStopReason(turn: SimTurn): string {
  if (turn.kind === 'tool') return 'tool_use';
  return turn.truncated ? 'max_tokens' : 'end_turn';
}

export function anthropicOutputTokens(turn: SimTurn): number {
  return turn.kind === 'tool' ? turn.outputTokens : turn.chunks.length;
}

/** The non-stream answer. */
export function anthropicMessage(a: AnthropicAnswer): unknown {
  const content =
    a.turn.kind === 'tool'
      ? [{ type: 'tool_use', id: a.toolUseId, name: a.turn.name, input: a.turn.input }]
      : [{ type: 'text', text: a.turn.chunks.join('') }];
  return {
    model: a.model,
    id: a.id,
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: anthropicStopReason(a.turn),
    stop_sequence: null,
    usage: anthropicUsage(a.inputTokens, anthropicOutputTokens(a.turn)),
  };
}

/** The stream, event for event as recorded: ping after the text block starts, or after a tool's first "" fragment. */
export function anthropicStreamEvents(a: AnthropicAnswer): SimSseEvent[] {
  const ev = (data: { type: string } & Record<string, unknown>, output = false): SimSseEvent => ({ event: data.type, data, output });
  const events: SimSseEvent[] = [
    ev({ type: 'message_start', message: { model: a.model, id: a.id, type: 'message', role: 'assistant', content: [], stop_reason: null, stop_sequence: null, usage: anthropicUsage(a.inputTokens, 1) } }),
  ];
  if (a.turn.kind === 'tool') {
    events.push(ev({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: a.toolUseId, name: a.turn.name, input: {} } }));
    events.push(ev({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } }));
    events.push(ev({ type: 'ping' }));
    for (const fragment of splitJson(JSON.stringify(a.turn.input))) {
      events.push(ev({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: fragment } }, true));
    }
  } else {
    events.push(ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    events.push(ev({ type: 'ping' }));
    for (const text of a.turn.chunks) events.push(ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, true));
  }
  events.push(ev({ type: 'content_block_stop', index: 0 }));
  events.push(
    ev({
      type: 'message_delta',
      delta: { stop_reason: anthropicStopReason(a.turn), stop_sequence: null },
      usage: { input_tokens: a.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: anthropicOutputTokens(a.turn) },
    }),
  );
  events.push(ev({ type: 'message_stop' }));
  return events;
}

/** The mid-stream failure event as Anthropic sends it. */
export function anthropicStreamError(): SimSseEvent {
  return { event: 'error', data: { type: 'error', error: { details: null, type: 'overloaded_error', message: 'Overloaded' } } };
}

// Real streams cut tool input JSON at arbitrary points; two pieces split mid-token exercise the
// client's reassembly.
function splitJson(json: string): string[] {
  if (json.length < 2) return [json];
  const half = Math.ceil(json.length / 2);
  return [json.slice(0, half), json.slice(half)];
}

type Block = { type?: unknown; text?: unknown; id?: unknown; name?: unknown; tool_use_id?: unknown; content?: unknown };

function blocksOf(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content.filter((b) => typeof b === 'object' && b !== null) as Block[]) : [];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return blocksOf(content)
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
    .join(' ');
}

/** Reduces a Messages request to what the script needs, plus the directives in the human message. */
export function anthropicConversation(body: Record<string, unknown>): { conversation: SimConversation; directives: string[] } {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  let human = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user' && !blocksOf(m.content).some((b) => b.type === 'tool_result')) human = i;
  });
  const { directives, text } = extractDirectives(human >= 0 ? textOf(messages[human]?.content) : '');
  const toolNames = new Map<string, string>();
  let stepsDone = 0;
  const toolResults: SimConversation['toolResults'] = [];
  for (const m of messages.slice(human + 1)) {
    const blocks = blocksOf(m.content);
    if (m.role === 'assistant' && blocks.some((b) => b.type === 'tool_use')) stepsDone += 1;
    for (const b of blocks) {
      if (b.type === 'tool_use' && typeof b.id === 'string') toolNames.set(b.id, String(b.name));
      if (b.type === 'tool_result') toolResults.push({ name: toolNames.get(String(b.tool_use_id)) ?? 'tool', output: textOf(b.content) });
    }
  }
  const tools: SimTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<Record<string, unknown>>).filter((t) => typeof t?.name === 'string').map((t) => ({ name: t.name as string, inputSchema: t.input_schema }))
    : [];
  const choice = body.tool_choice as { type?: unknown } | undefined;
  const instructions = typeof body.system === 'string' ? body.system : textOf(body.system);
  return { conversation: { question: text, tools, toolsForbidden: choice?.type === 'none', stepsDone, toolResults, instructions }, directives };
}
