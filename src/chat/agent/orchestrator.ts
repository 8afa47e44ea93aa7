// The orchestrator agent: our own tool-using loop, one model call per step through ProviderClient.stream,
// so that every call is budgeted (reserved before, settled after) and recorded on its own. Each step
// relays the model's text and tool calls as they stream, runs the tools it asked for, appends their
// results, and goes again — until the model answers without tools or the tenant's step limit is hit.
import type { ModelStreamEvent, NeutralMessage, NeutralPart, Usage } from '../../providers/provider.ts';
import { recordToolCall, type CallScope } from '../call-records.ts';
import { aiDisabled } from '../chat-errors.ts';
import type { MessageWriter } from '../message-writer.ts';
import type { BudgetSettings } from '../../usage/limits.ts';
import { CONTENT_FILTER_MESSAGE, stepLimitMessage } from './agent-prompts.ts';
import type { AgentTools } from './tools/agent-tools.ts';
import { budgetedStream, commitAlone, type AdvanceReservation, type CallDeps, type CallTarget, type DeferredSettlement } from './budgeted-call.ts';

export const ORCHESTRATOR_MAX_OUTPUT_TOKENS = 4096;

/** Where the answer goes as it is produced (SSE, or nothing for the JSON mode). */
export interface TurnSink {
  /** Called once, just before the first event: the answer's stream begins. */
  start(): Promise<void>;
  /** Per relayed chunk: returns a promise only when the client's socket pushes back (then awaited). */
  textDelta(text: string): Promise<void> | void;
  toolCall(call: { id: string; name: string; input: unknown }): Promise<void>;
  toolResult(result: { id: string; name: string; output: unknown }): Promise<void>;
}

export interface AgentTurnInput {
  scope: CallScope;
  target: CallTarget;
  system: string;
  /** The conversation, ending with the user's new message. */
  history: NeutralMessage[];
  tools: AgentTools;
  maxSteps: number;
  budget?: BudgetSettings;
  signal: AbortSignal;
  writer: MessageWriter;
  sink: TurnSink;
  /** False once the tenant's AI was switched off (checked before every model call). */
  aiEnabled(): Promise<boolean>;
  /** Accumulates the orchestrator calls' usage (so a failed turn still knows what it used). */
  usage?: Usage;
  /**
   * The first step's reservation, made in advance for exactly its request (system, history, tool specs,
   * ORCHESTRATOR_MAX_OUTPUT_TOKENS); later steps reserve their own. The caller releases it if untaken.
   */
  firstCall?: AdvanceReservation;
}

export type AgentFinishReason = 'stop' | 'length' | 'content-filter' | 'other' | 'step-limit';

export interface AgentTurnResult {
  finishReason: AgentFinishReason;
  usage: Usage;
  steps: number;
  /**
   * The last model call, finished but not yet settled or recorded: the caller commits it with the answer's
   * final row (one commit fewer per turn) and must commit it on its own if that fails. Null when the turn
   * ended on the step limit (every call already settled).
   */
  settlement: DeferredSettlement | null;
}

/** The `{error: {code}}` every tool's error result carries. */
function toolErrorCode(output: unknown): string {
  const code = (output as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code : 'tool_error';
}

type AssistantPart = Extract<NeutralPart, { type: 'text' | 'tool-call' }>;

/** Runs the loop. Throws (AppError, ProviderError, the abort reason); the caller stores and reports. */
export async function runAgentTurn(deps: CallDeps, input: AgentTurnInput): Promise<AgentTurnResult> {
  const messages = [...input.history];
  const usage: Usage = input.usage ?? { inputTokens: 0, outputTokens: 0 };
  let started = false;
  const ensureStarted = async () => {
    if (started) return;
    started = true;
    await input.sink.start();
  };

  for (let step = 1; step <= input.maxSteps; step++) {
    input.signal.throwIfAborted();
    if (!(await input.aiEnabled())) throw aiDisabled();
    const assistant: AssistantPart[] = [];
    const calls: Array<{ id: string; name: string; input: unknown }> = [];
    // Set by the relay callback; typed with `as` so the checks after the call do not narrow it to 'other'.
    let finishReason = 'other' as AgentFinishReason;
    const relay = (event: ModelStreamEvent): Promise<void> | void => {
      if (event.type === 'text-delta') {
        const last = assistant[assistant.length - 1];
        if (last?.type === 'text') last.text += event.text;
        else assistant.push({ type: 'text', text: event.text });
        input.writer.appendText(event.text);
        return input.sink.textDelta(event.text);
      }
      if (event.type === 'tool-call') {
        const call = { id: event.id, name: event.name, input: event.input };
        calls.push(call);
        assistant.push({ type: 'tool-call', ...call });
        input.writer.addPart({ type: 'tool-call', ...call });
        return input.sink.toolCall(call);
      }
      usage.inputTokens += event.usage.inputTokens;
      usage.outputTokens += event.usage.outputTokens;
      finishReason = event.finishReason === 'tool-calls' || event.finishReason === 'error' ? 'other' : event.finishReason;
    };
    // Events arrive by callback (no generator hop per chunk); the sink is awaited only when it returns a
    // promise (the socket pushing back). The call's settlement is deferred: if this is the last step, it
    // commits with the answer's final row.
    const settlement = await budgetedStream(
      deps,
      { scope: input.scope, flow: 'orchestrator', target: input.target, ...(input.budget ? { budget: input.budget } : {}) },
      {
        model: input.target.model,
        system: input.system,
        messages,
        tools: input.tools.specs,
        maxOutputTokens: ORCHESTRATOR_MAX_OUTPUT_TOKENS,
        signal: input.signal,
      },
      (event) => {
        // Only the first event awaits the sink's start.
        if (!started) return ensureStarted().then(() => relay(event));
        return relay(event);
      },
      { advance: step === 1 ? input.firstCall : undefined, deferSettlement: true },
    );
    if (calls.length === 0) {
      // A filtered answer ends like a complete one; without a note, the stored (shortened) answer would
      // look whole when the conversation is reloaded.
      if (finishReason === 'content-filter') await appendNote(input, CONTENT_FILTER_MESSAGE);
      return { finishReason, usage, steps: step, settlement };
    }
    // Not the last step: settle now, before the tools run and the next call reserves.
    await commitAlone(deps, settlement, input.scope.sessionId);

    messages.push({ role: 'assistant', parts: assistant });
    const results: Array<Extract<NeutralPart, { type: 'tool-result' }>> = [];
    for (const call of calls) {
      input.signal.throwIfAborted();
      const at = deps.clock.now();
      const startedMs = performance.now();
      const outcome = await input.tools.execute(call.name, call.input, input.signal);
      deps.metrics.toolCalls.inc({ tool: call.name, outcome: outcome.isError ? 'error' : 'success' });
      await recordToolCall(deps.db, input.scope, {
        tool: call.name,
        at,
        durationMs: performance.now() - startedMs,
        outcome: outcome.isError ? 'error' : 'success',
        errorCode: outcome.isError ? toolErrorCode(outcome.output) : null,
        details: { summary: outcome.summary },
      });
      const result = { type: 'tool-result' as const, id: call.id, name: call.name, output: outcome.output, ...(outcome.isError ? { isError: true } : {}) };
      results.push(result);
      input.writer.addPart(result);
      await input.sink.toolResult({ id: call.id, name: call.name, output: outcome.output });
    }
    messages.push({ role: 'tool', results });
  }

  // The step limit: say so plainly instead of leaving the user with a half-done answer.
  await ensureStarted();
  await appendNote(input, stepLimitMessage(input.maxSteps));
  return { finishReason: 'step-limit', usage, steps: input.maxSteps, settlement: null };
}

/** Ends the answer with a note of ours (stored and relayed), without its leading break when it is all there is. */
async function appendNote(input: Pick<AgentTurnInput, 'writer' | 'sink'>, note: string): Promise<void> {
  const text = input.writer.text === '' ? note.trimStart() : note;
  input.writer.appendText(text);
  await input.sink.textDelta(text);
}
