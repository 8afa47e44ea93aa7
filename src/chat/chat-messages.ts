// Chat messages in storage: the user's message is stored before any model call, together with the
// assistant's row (status `streaming`) that message-writer.ts fills in as the answer streams.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { ChatMessageRow } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { NeutralPart } from '../providers/provider.ts';
import { parseParts, toNeutralHistory, type StoredMessage } from './message-history.ts';
import type { NeutralMessage } from '../providers/provider.ts';

type Deps = Pick<AppContext, 'db' | 'clock'>;

export interface PresentedMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  parts: NeutralPart[];
  model: string | null;
  status: ChatMessageRow['status'];
  errorCode: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  createdAt: string;
}

export function presentMessage(row: ChatMessageRow): PresentedMessage {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    parts: parseParts(row.parts),
    model: row.model,
    status: row.status,
    errorCode: row.error_code,
    usage: row.input_tokens === null && row.output_tokens === null ? null : { inputTokens: Number(row.input_tokens ?? 0), outputTokens: Number(row.output_tokens ?? 0) },
    createdAt: row.created_at,
  };
}

export async function listMessages(deps: Pick<AppContext, 'db'>, tenantId: string, sessionId: string): Promise<ChatMessageRow[]> {
  return deps.db
    .selectFrom('chat_messages')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .orderBy('seq', 'asc')
    .execute();
}

/** The session's conversation before the answer being written, in the neutral form. */
export async function loadHistory(deps: Pick<AppContext, 'db'>, tenantId: string, sessionId: string, beforeSeq: number): Promise<NeutralMessage[]> {
  const rows = await deps.db
    .selectFrom('chat_messages')
    .select(['role', 'content', 'parts', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('session_id', '=', sessionId)
    .where('seq', '<', beforeSeq)
    .orderBy('seq', 'asc')
    .execute();
  const stored: StoredMessage[] = rows.map((r) => ({ role: r.role, content: r.content, parts: parseParts(r.parts), status: r.status }));
  return toNeutralHistory(stored);
}

export interface StartedExchange {
  userMessageId: string;
  assistantMessageId: string;
  /** The assistant row's seq; the history is everything before it. */
  assistantSeq: number;
}

/**
 * Stores the user's message and the (empty, `streaming`) assistant row in one transaction, and marks the
 * session active. Called under the session's lease, so seq numbers cannot collide.
 */
export async function startExchange(
  deps: Deps,
  input: { tenantId: string; sessionId: string; content: string; model: string },
): Promise<StartedExchange> {
  const now = deps.clock.now().toISOString();
  const userMessageId = newId();
  const assistantMessageId = newId();
  return deps.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('tenant_id', '=', input.tenantId)
      .where('session_id', '=', input.sessionId)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const base = { tenant_id: input.tenantId, session_id: input.sessionId, error_code: null, input_tokens: null, output_tokens: null, created_at: now, updated_at: now };
    await trx
      .insertInto('chat_messages')
      .values([
        { ...base, id: userMessageId, seq, role: 'user', content: input.content, parts: JSON.stringify([{ type: 'text', text: input.content }]), model: null, status: 'complete' },
        { ...base, id: assistantMessageId, seq: seq + 1, role: 'assistant', content: '', parts: '[]', model: input.model, status: 'streaming' },
      ])
      .execute();
    await trx.updateTable('chat_sessions').set({ last_activity_at: now, turns: sql<number>`turns + 1` }).where('tenant_id', '=', input.tenantId).where('id', '=', input.sessionId).execute();
    return { userMessageId, assistantMessageId, assistantSeq: seq + 1 };
  });
}
