// Chat sessions: created pinned to the tenant's active provider and its models, listed and read by their
// owner only, closed by them. A session is in flight until closed or idle (no message and no answer
// being written) longer than MOSAIC_SESSION_IDLE_MINUTES; a message to a session no longer in flight
// re-pins it to the tenant's active provider (chat-repin.ts).
import type { AppContext } from '../app-context.ts';
import { getActiveProvider } from '../ai-config/resolve-active-provider.ts';
import type { ChatSessionRow } from '../db/schema.ts';
import { preparedQuery } from '../db/prepared-query.ts';
import { newId } from '../ids.ts';
import { AppError } from '../server/errors.ts';

export interface PresentedSession {
  id: string;
  title: string | null;
  providerId: string;
  providerKind: 'anthropic' | 'openai' | 'azure';
  model: string;
  fastModel: string;
  status: 'in_flight' | 'completed';
  createdAt: string;
  lastActivityAt: string;
}

/** 409 ai_not_configured: the tenant has no active provider (never configured, or the kill switch). */
export function aiNotConfigured(): AppError {
  return new AppError(409, 'ai_not_configured', 'AI is not configured for your organisation.', {
    hint: 'Ask your Tenant Admin to add and activate a provider in Admin → AI Configuration.',
  });
}

/** True while the session is open and either answering or active within the idle window. */
export function isInFlight(session: Pick<ChatSessionRow, 'status' | 'last_activity_at' | 'lease_expires_at'>, now: Date, idleMinutes: number): boolean {
  if (session.status !== 'in_flight') return false;
  if (session.lease_expires_at !== null && session.lease_expires_at > now.toISOString()) return true;
  return now.getTime() - new Date(session.last_activity_at).getTime() <= idleMinutes * 60_000;
}

export function presentSession(session: ChatSessionRow, now: Date, idleMinutes: number): PresentedSession {
  return {
    id: session.id,
    title: session.title,
    providerId: session.provider_id,
    providerKind: session.provider_kind,
    model: session.model_orchestrator,
    fastModel: session.model_fast,
    status: isInFlight(session, now, idleMinutes) ? 'in_flight' : 'completed',
    createdAt: session.created_at,
    lastActivityAt: session.last_activity_at,
  };
}

/** A new session pinned to the tenant's active provider; 409 ai_not_configured when AI is off. */
export async function createSession(deps: AppContext, input: { tenantId: string; userId: string; title?: string | null }): Promise<ChatSessionRow> {
  const active = await getActiveProvider(deps, input.tenantId);
  if (active === null) throw aiNotConfigured();
  const now = deps.clock.now().toISOString();
  const row: ChatSessionRow = {
    id: newId(),
    tenant_id: input.tenantId,
    user_id: input.userId,
    title: input.title ?? null,
    provider_id: active.providerId,
    provider_kind: active.kind,
    model_orchestrator: active.models.orchestrator,
    model_fast: active.models.fast,
    status: 'in_flight',
    created_at: now,
    last_activity_at: now,
    closed_at: null,
    lease_owner: null,
    lease_expires_at: null,
    turns: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_micros: 0,
    error_count: 0,
    model_call_count: 0,
    latency_total_ms: 0,
  };
  await deps.db.insertInto('chat_sessions').values(row).execute();
  return row;
}

// Read on every chat turn: compiled once (db/prepared-query.ts).
const ownSession = preparedQuery<{ tenantId: string; userId: string; sessionId: string }, ChatSessionRow>((db, p) =>
  db.selectFrom('chat_sessions').selectAll().where('tenant_id', '=', p('tenantId')).where('user_id', '=', p('userId')).where('id', '=', p('sessionId')),
);

/** The caller's own session, or null (another user's or tenant's session does not exist for them). */
export async function findOwnSession(deps: Pick<AppContext, 'db'>, tenantId: string, userId: string, sessionId: string): Promise<ChatSessionRow | null> {
  const [row] = (await ownSession.execute(deps.db, { tenantId, userId, sessionId })).rows;
  return row ?? null;
}

const LIST_LIMIT = 200;

/** The caller's sessions, newest first (the most recent 200). */
export async function listOwnSessions(deps: Pick<AppContext, 'db'>, tenantId: string, userId: string): Promise<ChatSessionRow[]> {
  return deps.db
    .selectFrom('chat_sessions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LIST_LIMIT)
    .execute();
}

/** Completes the session: no longer in flight (a later message re-pins and reopens it). */
export async function closeSession(deps: Pick<AppContext, 'db' | 'clock'>, session: ChatSessionRow): Promise<ChatSessionRow> {
  const now = deps.clock.now().toISOString();
  await deps.db
    .updateTable('chat_sessions')
    .set({ status: 'completed', closed_at: now })
    .where('tenant_id', '=', session.tenant_id)
    .where('id', '=', session.id)
    .execute();
  return { ...session, status: 'completed', closed_at: now };
}

/** Sets the generated title, unless one was set meanwhile. */
export async function setTitleIfNone(deps: Pick<AppContext, 'db'>, session: Pick<ChatSessionRow, 'tenant_id' | 'id'>, title: string): Promise<boolean> {
  const result = await deps.db
    .updateTable('chat_sessions')
    .set({ title })
    .where('tenant_id', '=', session.tenant_id)
    .where('id', '=', session.id)
    .where('title', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
