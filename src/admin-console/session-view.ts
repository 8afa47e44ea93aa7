// How the admin console shows a chat session: one shape for the AI Sessions list, Session Detail, the
// content view, the export and the Overview's recent sessions. Built from the session's own aggregates
// (kept up to date with every recorded call), so no view needs to scan the calls.
import { isInFlight } from '../chat/chat-sessions.ts';
import type { Db } from '../db/database.ts';
import type { ChatSessionRow } from '../db/schema.ts';
import { microsToUsd } from '../usage/pricing.ts';

export interface AdminSessionView {
  id: string;
  user: { id: string; email: string | null };
  title: string | null;
  providerKind: ChatSessionRow['provider_kind'];
  model: string;
  startedAt: string;
  lastActivityAt: string;
  status: 'in_flight' | 'completed';
  /** 'error' when any call of the session failed. */
  outcome: 'success' | 'error';
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Mean model-call latency; null before the first model call. */
  avgLatencyMs: number | null;
}

/** A session row with its owner's email (null if the user is gone). */
export type SessionWithEmail = ChatSessionRow & { user_email: string | null };

export function presentAdminSession(row: SessionWithEmail, now: Date, idleMinutes: number): AdminSessionView {
  const modelCalls = Number(row.model_call_count);
  return {
    id: row.id,
    user: { id: row.user_id, email: row.user_email },
    title: row.title,
    providerKind: row.provider_kind,
    model: row.model_orchestrator,
    startedAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    status: isInFlight(row, now, idleMinutes) ? 'in_flight' : 'completed',
    outcome: Number(row.error_count) > 0 ? 'error' : 'success',
    turns: Number(row.turns),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: microsToUsd(Number(row.cost_micros)),
    avgLatencyMs: modelCalls > 0 ? Math.round(Number(row.latency_total_ms) / modelCalls) : null,
  };
}

/** chat_sessions with the owner's email, scoped to the tenant: the base of every admin session query. */
export function selectSessionsWithEmail(db: Db, tenantId: string) {
  return db
    .selectFrom('chat_sessions')
    .leftJoin('users', (join) => join.onRef('users.id', '=', 'chat_sessions.user_id').onRef('users.tenant_id', '=', 'chat_sessions.tenant_id'))
    .selectAll('chat_sessions')
    .select('users.email as user_email')
    .where('chat_sessions.tenant_id', '=', tenantId);
}

/** One session of the tenant, or null (another tenant's session is as unknown as a missing one). */
export async function findAdminSession(db: Db, tenantId: string, sessionId: string): Promise<SessionWithEmail | null> {
  return (await selectSessionsWithEmail(db, tenantId).where('chat_sessions.id', '=', sessionId).executeTakeFirst()) ?? null;
}
