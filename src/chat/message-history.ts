// Stored messages → the provider-neutral conversation a model call sends. Pure. History is stored in
// this neutral form (text, tool-call, tool-result parts) so that any provider can continue it: the
// provider layer converts it to Anthropic's, OpenAI's or Azure's wire format per call.
import type { NeutralMessage, NeutralPart } from '../providers/provider.ts';

type AssistantPart = Extract<NeutralPart, { type: 'text' | 'tool-call' }>;
type ResultPart = Extract<NeutralPart, { type: 'tool-result' }>;

export interface StoredMessage {
  role: 'user' | 'assistant';
  content: string;
  parts: NeutralPart[];
  status: 'complete' | 'streaming' | 'error' | 'interrupted';
}

/** Parses the parts column; anything unreadable is an empty list (never a crash on old rows). */
export function parseParts(json: string): NeutralPart[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as NeutralPart[]) : [];
  } catch {
    return [];
  }
}

/**
 * The conversation so far. A tool call without its result (an answer cut mid-step) is left out, since
 * every provider rejects an unanswered tool call; the text around it stays.
 */
export function toNeutralHistory(messages: readonly StoredMessage[]): NeutralMessage[] {
  const out: NeutralMessage[] = [];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.content });
    else out.push(...assistantTurns(message.parts));
  }
  return out;
}

/** One stored answer's parts → alternating assistant / tool messages. */
export function assistantTurns(parts: readonly NeutralPart[]): NeutralMessage[] {
  const answered = new Set(parts.filter((p): p is ResultPart => p.type === 'tool-result').map((p) => p.id));
  const out: NeutralMessage[] = [];
  let assistant: AssistantPart[] = [];
  let results: ResultPart[] = [];
  const flushAssistant = () => {
    if (assistant.length > 0) out.push({ role: 'assistant', parts: assistant });
    assistant = [];
  };
  const flushResults = () => {
    if (results.length > 0) out.push({ role: 'tool', results });
    results = [];
  };
  for (const part of parts) {
    if (part.type === 'tool-result') {
      flushAssistant();
      results.push(part);
      continue;
    }
    flushResults();
    if (part.type === 'text' && part.text === '') continue;
    if (part.type === 'tool-call' && !answered.has(part.id)) continue;
    assistant.push(part);
  }
  flushAssistant();
  flushResults();
  return out;
}

/** Appends a text delta, merging it into a trailing text part. Mutates `parts` (the writer's buffer). */
export function appendText(parts: NeutralPart[], text: string): void {
  const last = parts[parts.length - 1];
  if (last && last.type === 'text') last.text += text;
  else parts.push({ type: 'text', text });
}

/** The answer's text as the user read it: every text part, in order. */
export function textOf(parts: readonly NeutralPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
}
