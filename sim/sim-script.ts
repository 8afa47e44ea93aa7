// The simulated model's mind: deterministic answers and scripted tool calls, the same on every wire.
// Each wire module reduces its request to a SimConversation, and renders the SimTurn planned here.
import type { SimScriptDirectives } from './sim-directives.ts';

export interface SimTool {
  name: string;
  inputSchema: unknown;
}

/** A request reduced to what the script looks at. */
export interface SimConversation {
  /** The text of the last human message (the one without tool results), directives removed. */
  question: string;
  tools: SimTool[];
  /** tool_choice "none": the model must answer in text. */
  toolsForbidden: boolean;
  /** Assistant tool-calling turns since the human message. */
  stepsDone: number;
  /** Tool results since the human message, oldest first. */
  toolResults: Array<{ name: string; output: string }>;
  /** The system prompt / instructions ('' when none): a request for a title or follow-ups is answered as one. */
  instructions?: string;
}

export type SimTurn =
  | { kind: 'text'; chunks: string[]; truncated: boolean }
  | { kind: 'tool'; name: string; input: unknown; outputTokens: number };

export const PANGRAM = 'The quick brown fox jumps over the lazy dog.';
export const SAMPLE_SQL = 'SELECT COUNT(*) AS n FROM orders';

/** Decides the model's next turn: a tool call while the script says so, else a text answer. */
export function planTurn(conv: SimConversation, script: SimScriptDirectives, maxTokens: number | null): SimTurn {
  const call = nextToolCall(conv, script);
  if (call !== null) {
    const outputTokens = countTokens(call.name, call.input);
    if (maxTokens === null || outputTokens <= maxTokens) return { kind: 'tool', ...call, outputTokens };
  }
  const chunks = splitIntoChunks(answerText(conv, script));
  if (maxTokens !== null && chunks.length > maxTokens) return { kind: 'text', chunks: chunks.slice(0, maxTokens), truncated: true };
  return { kind: 'text', chunks, truncated: false };
}

function nextToolCall(conv: SimConversation, script: SimScriptDirectives): { name: string; input: unknown } | null {
  if (conv.tools.length === 0 || conv.toolsForbidden || script.noTools) return null;
  const wanted = Math.max(script.steps ?? (script.calls.length > 0 ? 0 : 1), script.calls.length);
  if (conv.stepsDone >= wanted) return null;
  const scripted = script.calls[conv.stepsDone];
  if (scripted) return scripted;
  const first = conv.tools[0] as SimTool;
  return { name: first.name, input: inputFromSchema(first.inputSchema) };
}

// Asked (in the instructions) for a title or for follow-up questions, the sim answers in that shape, as a
// real model would: a short title, or three questions one per line.
const ASKS_FOR_TITLE = /\b(write|give|suggest)\b[^.]*\btitle\b/i;
const ASKS_FOR_FOLLOW_UPS = /\bfollow-?up questions?\b/i;
export const SIM_FOLLOW_UPS = ['Which region has the most customers?', 'What were the top products by revenue last quarter?', 'How did monthly orders change over 2024?'];

/** The text answer: echoes the question, or summarises the latest tool result; `words:N` sets its length. */
export function answerText(conv: SimConversation, script: Pick<SimScriptDirectives, 'words'>): string {
  const instructions = conv.instructions ?? '';
  if (conv.toolResults.length === 0 && ASKS_FOR_FOLLOW_UPS.test(instructions)) return SIM_FOLLOW_UPS.join('\n');
  if (conv.toolResults.length === 0 && ASKS_FOR_TITLE.test(instructions)) return titleOf(conv.question);
  const latest = conv.toolResults[conv.toolResults.length - 1];
  const base = latest
    ? `I looked at the data (${latest.name}): ${clip(latest.output, 120)}. ${PANGRAM}`
    : `Simulated answer: you asked "${clip(conv.question, 80)}". ${PANGRAM}`;
  if (script.words === null) return base;
  const words = splitIntoChunks(base);
  const filler = splitIntoChunks(` ${PANGRAM}`);
  for (let i = 0; words.length < script.words; i += 1) words.push(filler[i % filler.length] as string);
  return words.slice(0, script.words).join('');
}

/** A title from the conversation's first words ('Simulated conversation' when there are none). */
function titleOf(text: string): string {
  // A digest of the exchange ("User: … Assistant: …") is titled after the user's part.
  const user = /^\s*user:\s*([\s\S]*?)(?:\n\s*assistant:|$)/i.exec(text)?.[1] ?? text;
  const words = user.replace(/[^\p{L}\p{N}\s'-]/gu, ' ').split(/\s+/).filter((w) => w !== '' && !/^(question|answer)$/i.test(w)).slice(0, 5);
  if (words.length === 0) return 'Simulated conversation';
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Word-sized chunks, each word carrying its leading space, as real models stream. */
export function splitIntoChunks(text: string): string[] {
  return text === '' ? [] : text.split(/(?= )/);
}

/** ceil(UTF-8 bytes / 4) of the given parts (strings as is, anything else as JSON); undefined parts count 0. */
export function countTokens(...parts: unknown[]): number {
  let bytes = 0;
  for (const part of parts) {
    if (part === undefined) continue;
    bytes += Buffer.byteLength(typeof part === 'string' ? part : JSON.stringify(part));
  }
  return Math.ceil(bytes / 4);
}

/** A tool input that satisfies the schema's required properties with plausible values. */
export function inputFromSchema(schema: unknown, propertyName = ''): unknown {
  if (!isRecord(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return propertyName === 'sql' ? SAMPLE_SQL : 'sample';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    default: {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
      const input: Record<string, unknown> = {};
      for (const name of required) input[name] = inputFromSchema(properties[name], name);
      return input;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
