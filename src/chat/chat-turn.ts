// One chat turn, end to end: take the session's lease (409 session_busy), pin the session (re-pin if it
// is no longer in flight), store the user's message and the `streaming` answer row, load the history and
// reserve the first model call's budget (one transaction), run the orchestrator
// while the writer saves the answer as it streams, finish the row (complete / error / interrupted), and
// run the cheap flows. The kill switch is watched throughout; a client that leaves aborts upstream.
import type { AppContext } from '../app-context.ts';
import { getActiveProvider } from '../ai-config/resolve-active-provider.ts';
import type { ChatSessionRow } from '../db/schema.ts';
import { isProviderError } from '../providers/provider-error.ts';
import type { Usage } from '../providers/provider.ts';
import { AppError } from '../server/errors.ts';
import { cachedBudgetSettings } from '../usage/limits.ts';
import { orchestratorSystemPrompt } from './agent/agent-prompts.ts';
import type { TenantTools } from './chat-tools.ts';
import { commitAlone, releaseUntaken, reserveInAdvance, type CallTarget, type DeferredSettlement } from './agent/budgeted-call.ts';
import { generateSuggestions, generateTitle } from './agent/cheap-flows.ts';
import { ORCHESTRATOR_MAX_OUTPUT_TOKENS, runAgentTurn, type AgentFinishReason, type TurnSink } from './agent/orchestrator.ts';
import type { CallScope } from './call-records.ts';
import { aiDisabled, ClientGone, fromProviderFailure } from './chat-errors.ts';
import { loadHistory, startExchange } from './chat-messages.ts';
import { planPin, recordPlannedRepin } from './chat-repin.ts';
import { aiNotConfigured, setTitleIfNone } from './chat-sessions.ts';
import { MessageWriter } from './message-writer.ts';
import { leaseTimingFor, sessionBusy } from './session-lease.ts';

/** How often a running answer checks the tenant's kill switch (through the configuration cache). */
export const KILL_SWITCH_POLL_MS = 1_000;

/** Where the turn's events go (SSE, or nothing for the JSON mode). */
export interface TurnReporter extends Omit<TurnSink, 'start'> {
  start(data: { messageId: string; model: string }): Promise<void>;
  end(data: { messageId: string; model: string; finishReason: AgentFinishReason; usage: Usage }): Promise<void>;
  title(title: string): Promise<void>;
  suggestions(questions: string[]): Promise<void>;
}

export interface ChatTurnInput {
  /** The session row read before the turn (its owner already checked). */
  session: ChatSessionRow;
  content: string;
  reporter: TurnReporter;
  /** Aborted (reason ClientGone) when the client goes away. */
  signal: AbortSignal;
  /** The agent's tools for the tenant's dataset. */
  tools(tenantId: string): Promise<TenantTools>;
}

export type ChatTurnOutcome =
  | { ok: true; messageId: string; model: string; content: string; parts: readonly unknown[]; usage: Usage; finishReason: AgentFinishReason }
  | { ok: false; messageId: string; error: AppError; started: boolean; interrupted: boolean };

/**
 * Runs a turn. Throws (JSON error, nothing stored) for session_busy and ai_not_configured; every later
 * failure is stored on the answer and returned, with whether the stream had started.
 */
export async function runChatTurn(ctx: AppContext, input: ChatTurnInput): Promise<ChatTurnOutcome> {
  const timing = leaseTimingFor(ctx.config.chatLeaseSeconds);
  const tenantId = input.session.tenant_id;
  // Read-only planning first (cached configuration); the lease, the re-pin and both messages are then
  // written in one transaction, the lease first: session_busy still wins over ai_not_configured.
  const plan = await planPin(ctx, input.session);
  // The tools' specs and the budget settings are read before that transaction, because it also loads the
  // history and reserves the first model call (one commit fewer per turn, issue 8). A failure here is
  // kept and thrown after the exchange, as before: the user's message is stored and the answer errs.
  const loaded = plan.configured
    ? await Promise.all([input.tools(tenantId), cachedBudgetSettings(ctx, tenantId)]).then(
        ([tools, budget]) => ({ ok: true as const, tools, budget }),
        (error: unknown) => ({ ok: false as const, error }),
      )
    : null;
  const exchange = await startExchange(ctx, {
    tenantId,
    sessionId: input.session.id,
    content: input.content,
    model: plan.configured ? plan.session.model_orchestrator : input.session.model_orchestrator,
    timing,
    pin: plan.configured ? plan.pin : null,
    underLease: async (trx) => {
      if (!plan.configured) throw aiNotConfigured();
      await recordPlannedRepin(trx, plan.session, plan.repin);
    },
    afterStored: async (trx, started) => {
      if (!plan.configured || !loaded?.ok) return null;
      const { session, connection } = plan;
      const history = await loadHistory({ db: trx }, tenantId, session.id, started.assistantSeq);
      const system = orchestratorSystemPrompt({ name: loaded.tools.datasetName, summary: loaded.tools.datasetSummary, dialect: loaded.tools.dialect });
      const firstCall = await reserveInAdvance(
        ctx,
        trx,
        {
          scope: { tenantId, sessionId: session.id, userId: session.user_id, messageId: started.assistantMessageId },
          target: { kind: session.provider_kind, model: session.model_orchestrator, azureModelOf: connection.azure?.modelOf ?? null },
          budget: loaded.budget,
        },
        { system, messages: history, tools: loaded.tools.specs, maxOutputTokens: ORCHESTRATOR_MAX_OUTPUT_TOKENS },
      );
      return { tools: loaded.tools, budget: loaded.budget, history, system, firstCall };
    },
  });
  if (exchange === null) throw sessionBusy();
  if (!plan.configured) throw aiNotConfigured(); // unreachable: underLease refused the turn
  const { session, connection } = plan;
  const lease = exchange.lease;
  const prepared = exchange.also;
  const writer = new MessageWriter(ctx, { tenantId: session.tenant_id, messageId: exchange.assistantMessageId, lease, timing });
  const scope: CallScope = { tenantId: session.tenant_id, sessionId: session.id, userId: session.user_id, messageId: exchange.assistantMessageId };

  // One controller for everything that may stop the answer: the client leaving, the kill switch.
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(input.signal.reason);
  if (input.signal.aborted) onClientAbort();
  else input.signal.addEventListener('abort', onClientAbort, { once: true });
  const aiEnabled = async () => (await getActiveProvider(ctx, session.tenant_id)) !== null;
  const killSwitch = setInterval(() => {
    aiEnabled()
      .then((enabled) => {
        if (!enabled && !controller.signal.aborted) controller.abort(aiDisabled());
      })
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not check the AI kill switch'));
  }, KILL_SWITCH_POLL_MS);
  killSwitch.unref();

  let started = false;
  const usage: Usage = { inputTokens: 0, outputTokens: 0 };
  // The last model call's settlement, committed with the answer's final row (below) or, if that fails, alone.
  let settlement: DeferredSettlement | null = null;
  const sink: TurnSink = {
    start: async () => {
      started = true;
      await input.reporter.start({ messageId: exchange.assistantMessageId, model: session.model_orchestrator });
    },
    textDelta: (text) => input.reporter.textDelta(text),
    toolCall: (call) => input.reporter.toolCall(call),
    toolResult: (result) => input.reporter.toolResult(result),
  };

  try {
    if (prepared === null) throw loaded?.ok === false ? loaded.error : new Error('the turn was not prepared');
    const { tools, budget, history, system } = prepared;
    const client = connection.client();
    const target: CallTarget = { client, kind: session.provider_kind, model: session.model_orchestrator, azureModelOf: connection.azure?.modelOf ?? null };
    const result = await runAgentTurn(ctx, {
      scope,
      target,
      system,
      history,
      tools,
      maxSteps: budget.maxAgentSteps,
      budget,
      signal: controller.signal,
      writer,
      sink,
      aiEnabled,
      usage,
      firstCall: prepared.firstCall,
    });
    clearInterval(killSwitch);
    settlement = result.settlement;
    const final = { status: 'complete' as const, usage, model: session.model_orchestrator };
    // One transaction for the last call's record and settlement and the answer's final row (3 → 2 commits
    // per turn, issue 8). The settlement opens it (the ledger is usage/'s); the budget alerts it crosses are
    // raised after it commits. If it fails, nothing of it committed: the catch below stores the answer's
    // error and `finally` settles the call on its own.
    const last = settlement;
    if (last === null) await writer.finish(final);
    else await writer.finishWithin(final, (work) => last.commit(work));
    const answer = writer.text;
    await input.reporter.end({ messageId: exchange.assistantMessageId, model: session.model_orchestrator, finishReason: result.finishReason, usage });

    // The cheap flows run after the answer is complete and stored, on the fast model; they never fail it.
    const fast: CallTarget = { ...target, model: session.model_fast };
    const cheap = { scope, target: fast, question: input.content, answer, budget, signal: controller.signal };
    if (ctx.config.cheapFlows && session.title === null) {
      const title = await generateTitle(ctx, cheap);
      if (title !== null && (await setTitleIfNone(ctx, session, title))) await input.reporter.title(title);
    }
    const questions = ctx.config.cheapFlows ? await generateSuggestions(ctx, cheap) : [];
    if (questions.length > 0) await input.reporter.suggestions(questions);
    return { ok: true, messageId: exchange.assistantMessageId, model: session.model_orchestrator, content: answer, parts: writer.parts, usage, finishReason: result.finishReason };
  } catch (thrown) {
    clearInterval(killSwitch);
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : thrown;
    if (reason instanceof ClientGone) {
      await writer.finish({ status: 'interrupted', usage });
      return { ok: false, messageId: exchange.assistantMessageId, error: new AppError(499, 'client_closed', 'The client closed the connection.'), started, interrupted: true };
    }
    const error = fromProviderFailure(reason);
    if (!(reason instanceof AppError) && !isProviderError(reason)) {
      ctx.logger.error({ err: reason, sessionId: session.id }, 'a chat turn failed unexpectedly');
    }
    await writer.finish({ status: 'error', errorCode: error.code, usage });
    return { ok: false, messageId: exchange.assistantMessageId, error, started, interrupted: false };
  } finally {
    clearInterval(killSwitch);
    await commitAlone(ctx, settlement, session.id);
    // A turn that failed before its first model call hands the advance reservation back.
    await releaseUntaken(ctx, prepared?.firstCall ?? null).catch((error: unknown) => ctx.logger.error({ err: error, sessionId: session.id }, 'could not release a reservation'));
    input.signal.removeEventListener('abort', onClientAbort);
  }
}
