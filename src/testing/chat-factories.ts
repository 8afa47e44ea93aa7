// Test factories for chat records, written straight to the tables as db/schema.ts defines them, so the
// admin console's tests do not depend on the chat code that normally writes them.
//
//   const s = await insertSession(t.ctx.db, { tenantId, userId, created_at: '2026-03-01T10:00:00.000Z' });
//   await insertCallRecord(t.ctx.db, { session: s, type: 'tool_call', tool: 'query_execution' });
//   await insertMessage(t.ctx.db, { session: s, seq: 0, role: 'user', content: 'Revenue by region?' });
import type { Db } from '../db/database.ts';
import type { CallRecordRow, ChatMessageRow, ChatSessionRow } from '../db/schema.ts';
import { newId } from '../ids.ts';

type Overrides<T> = Partial<T>;

/** A complete chat_sessions row: a completed, error-free Anthropic session with no calls yet. */
export function sessionRow(input: { tenantId: string; userId: string } & Overrides<ChatSessionRow>): ChatSessionRow {
  const { tenantId, userId, ...overrides } = input;
  const at = overrides.created_at ?? '2026-03-01T10:00:00.000Z';
  return {
    id: newId(),
    tenant_id: tenantId,
    user_id: userId,
    title: 'Revenue by region',
    provider_id: newId(),
    provider_kind: 'anthropic',
    model_orchestrator: 'claude-sonnet-4-5',
    model_fast: 'claude-haiku-4-5',
    status: 'completed',
    created_at: at,
    last_activity_at: at,
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
    ...overrides,
  };
}

export async function insertSession(db: Db, input: { tenantId: string; userId: string } & Overrides<ChatSessionRow>): Promise<ChatSessionRow> {
  const row = sessionRow(input);
  await db.insertInto('chat_sessions').values(row).execute();
  return row;
}

type SessionRef = Pick<ChatSessionRow, 'id' | 'tenant_id' | 'user_id'>;

/** A call record of the session: a successful orchestrator model call unless told otherwise. */
export async function insertCallRecord(db: Db, input: { session: SessionRef } & Overrides<CallRecordRow>): Promise<CallRecordRow> {
  const { session, ...overrides } = input;
  const row: CallRecordRow = {
    id: newId(),
    tenant_id: session.tenant_id,
    session_id: session.id,
    message_id: null,
    user_id: session.user_id,
    type: 'model_call',
    flow: 'orchestrator',
    at: '2026-03-01T10:00:01.000Z',
    duration_ms: 1000,
    outcome: 'success',
    provider_kind: 'anthropic',
    model: 'claude-sonnet-4-5',
    input_tokens: 0,
    output_tokens: 0,
    cost_micros: 0,
    estimated: 0,
    tool: null,
    error_code: null,
    details: null,
    ...overrides,
  };
  await db.insertInto('call_records').values(row).execute();
  return row;
}

/** A message of the session; `parts` defaults to one text part holding `content`. */
export async function insertMessage(
  db: Db,
  input: { session: SessionRef; seq: number; role: ChatMessageRow['role']; content: string } & Overrides<ChatMessageRow>,
): Promise<ChatMessageRow> {
  const { session, ...overrides } = input;
  const at = overrides.created_at ?? '2026-03-01T10:00:00.000Z';
  const row: ChatMessageRow = {
    id: newId(),
    tenant_id: session.tenant_id,
    session_id: session.id,
    model: null,
    status: 'complete',
    error_code: null,
    input_tokens: null,
    output_tokens: null,
    parts: JSON.stringify([{ type: 'text', text: input.content }]),
    created_at: at,
    updated_at: at,
    ...overrides,
  };
  await db.insertInto('chat_messages').values(row).execute();
  return row;
}
