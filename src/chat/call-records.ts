// The admin timeline's raw facts: one call_records row per model call, tool call and re-pin, plus the
// session aggregates (turns, tokens, cost, errors, latency) kept in step so the admin list scans nothing.
// Never chat content: tool rows carry a summary (row count, error code), never rows.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import { newId } from '../ids.ts';
import { preparedQuery } from '../db/prepared-query.ts';

export interface CallScope {
  tenantId: string;
  sessionId: string;
  userId: string;
  messageId: string | null;
}

export interface ModelCallRecord {
  flow: 'orchestrator' | 'title' | 'suggestions';
  at: Date;
  durationMs: number;
  outcome: 'success' | 'error';
  providerKind: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  estimated: boolean;
  errorCode: string | null;
}

type ModelCallArgs = {
  id: string;
  tenantId: string;
  sessionId: string;
  messageId: string | null;
  userId: string;
  flow: string;
  at: string;
  durationMs: number;
  outcome: 'success' | 'error';
  providerKind: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  estimated: number;
  errorCode: string | null;
  errors: number;
};

// Every model call runs these two: compiled once (db/prepared-query.ts), not rebuilt per call.
const insertModelCall = preparedQuery<ModelCallArgs, never>((db, p) =>
  db.insertInto('call_records').values({
    id: p('id'),
    tenant_id: p('tenantId'),
    session_id: p('sessionId'),
    message_id: p('messageId'),
    user_id: p('userId'),
    type: 'model_call',
    flow: p('flow') as ModelCallRecord['flow'],
    at: p('at'),
    duration_ms: p('durationMs'),
    outcome: p('outcome'),
    provider_kind: p('providerKind'),
    model: p('model'),
    input_tokens: p('inputTokens'),
    output_tokens: p('outputTokens'),
    cost_micros: p('costMicros'),
    estimated: p('estimated'),
    tool: null,
    error_code: p('errorCode'),
    details: null,
  }),
);
const addToSession = preparedQuery<ModelCallArgs, never>((db, p) =>
  db
    .updateTable('chat_sessions')
    .set({
      input_tokens: sql<number>`input_tokens + ${p('inputTokens')}`,
      output_tokens: sql<number>`output_tokens + ${p('outputTokens')}`,
      cost_micros: sql<number>`cost_micros + ${p('costMicros')}`,
      error_count: sql<number>`error_count + ${p('errors')}`,
      model_call_count: sql<number>`model_call_count + 1`,
      latency_total_ms: sql<number>`latency_total_ms + ${p('durationMs')}`,
    })
    .where('tenant_id', '=', p('tenantId'))
    .where('id', '=', p('sessionId')),
);

/** Records one model call and adds it to the session's aggregates, inside the caller's transaction (the chat commits it with the call's settlement). */
export async function recordModelCallIn(trx: DbOrTx, scope: CallScope, call: ModelCallRecord): Promise<void> {
  const args: ModelCallArgs = {
    id: newId(),
    tenantId: scope.tenantId,
    sessionId: scope.sessionId,
    messageId: scope.messageId,
    userId: scope.userId,
    flow: call.flow,
    at: call.at.toISOString(),
    durationMs: Math.max(0, Math.round(call.durationMs)),
    outcome: call.outcome,
    providerKind: call.providerKind,
    model: call.model,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    costMicros: call.costMicros,
    estimated: call.estimated ? 1 : 0,
    errorCode: call.errorCode,
    errors: call.outcome === 'error' ? 1 : 0,
  };
  await insertModelCall.execute(trx, args);
  await addToSession.execute(trx, args);
}

export interface ToolCallRecord {
  tool: string;
  at: Date;
  durationMs: number;
  outcome: 'success' | 'error';
  errorCode: string | null;
  /** A summary (row count, truncation, error code): never the rows themselves. */
  details: Record<string, unknown>;
}

export async function recordToolCall(db: Db, scope: CallScope, call: ToolCallRecord): Promise<void> {
  await db
    .insertInto('call_records')
    .values({
      id: newId(),
      tenant_id: scope.tenantId,
      session_id: scope.sessionId,
      message_id: scope.messageId,
      user_id: scope.userId,
      type: 'tool_call',
      flow: 'orchestrator',
      at: call.at.toISOString(),
      duration_ms: Math.max(0, Math.round(call.durationMs)),
      outcome: call.outcome,
      provider_kind: null,
      model: null,
      input_tokens: 0,
      output_tokens: 0,
      cost_micros: 0,
      estimated: 0,
      tool: call.tool,
      error_code: call.errorCode,
      details: JSON.stringify(call.details),
    })
    .execute();
}

export interface RepinRecord {
  at: Date;
  providerKind: string;
  model: string;
  from: string;
  to: string;
  /** idle / closed / provider_gone: re-pinned on the next message; provider_deleted: moved by an admin. */
  reason: 'idle' | 'closed' | 'provider_gone' | 'provider_deleted';
}

/** The re-pin's timeline row; runs inside the re-pin's transaction. */
export async function recordRepin(db: DbOrTx, scope: Omit<CallScope, 'messageId'>, repin: RepinRecord): Promise<void> {
  await recordRepins(db, [{ scope, repin }]);
}

/** Several sessions' re-pin rows in one statement (an admin moving the sessions of a deleted provider). */
export async function recordRepins(db: DbOrTx, repins: ReadonlyArray<{ scope: Omit<CallScope, 'messageId'>; repin: RepinRecord }>): Promise<void> {
  if (repins.length === 0) return;
  await db
    .insertInto('call_records')
    .values(
      repins.map(({ scope, repin }) => ({
        id: newId(),
        tenant_id: scope.tenantId,
        session_id: scope.sessionId,
        message_id: null,
        user_id: scope.userId,
        type: 'repin' as const,
        flow: null,
        at: repin.at.toISOString(),
        duration_ms: 0,
        outcome: 'success' as const,
        provider_kind: repin.providerKind,
        model: repin.model,
        input_tokens: 0,
        output_tokens: 0,
        cost_micros: 0,
        estimated: 0,
        tool: null,
        error_code: null,
        details: JSON.stringify({ from: repin.from, to: repin.to, reason: repin.reason }),
      })),
    )
    .execute();
}
