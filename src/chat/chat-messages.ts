// Chat messages in storage: the user's message is stored before any model call, together with the
// assistant's row (status `streaming`) that message-writer.ts fills in as the answer streams.
import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { ChatMessageRow, Database } from '../db/schema.ts';
import { preparedQuery } from '../db/prepared-query.ts';
import { newId } from '../ids.ts';
import type { NeutralPart } from '../providers/provider.ts';
import { parseParts, toNeutralHistory, type StoredMessage } from './message-history.ts';
import type { NeutralMessage } from '../providers/provider.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import type { PinFields } from './chat-repin.ts';
import { leaseExpiry, leaseIsFree, type LeaseTiming, type SessionLease } from './session-lease.ts';

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

// Every turn reads its history: compiled once (db/prepared-query.ts).
const historyRows = preparedQuery<{ tenantId: string; sessionId: string; beforeSeq: number }, Pick<ChatMessageRow, 'role' | 'content' | 'parts' | 'status'>>((db, p) =>
  db
    .selectFrom('chat_messages')
    .select(['role', 'content', 'parts', 'status'])
    .where('tenant_id', '=', p('tenantId'))
    .where('session_id', '=', p('sessionId'))
    .where('seq', '<', p('beforeSeq'))
    .orderBy('seq', 'asc'),
);

/** The session's conversation before the answer being written, in the neutral form. `db` may be a transaction. */
export async function loadHistory(deps: { db: DbOrTx }, tenantId: string, sessionId: string, beforeSeq: number): Promise<NeutralMessage[]> {
  const { rows } = await historyRows.execute(deps.db, { tenantId, sessionId, beforeSeq });
  const stored: StoredMessage[] = rows.map((r) => ({ role: r.role, content: r.content, parts: parseParts(r.parts), status: r.status }));
  return toNeutralHistory(stored);
}

export interface StartedExchange {
  /** The session's lease, taken in the same transaction. */
  lease: SessionLease;
  userMessageId: string;
  assistantMessageId: string;
  /** The assistant row's seq; the history is everything before it. */
  assistantSeq: number;
}

export interface ExchangeInput<T = undefined> {
  tenantId: string;
  sessionId: string;
  content: string;
  model: string;
  timing: LeaseTiming;
  /** The re-pin's columns (chat-repin.ts), written in the lease's UPDATE; null to keep the pin. */
  pin?: PinFields | null;
  /**
   * Runs under the lease, in the transaction, before the messages are stored: throws to refuse the turn
   * (the lease and everything else roll back), or writes more (the re-pin's timeline row).
   */
  underLease?: (trx: DbOrTx) => Promise<void>;
  /**
   * Runs in the transaction after both messages are stored (the chat loads the history and reserves the
   * first model call here: one commit fewer per turn). Its result comes back as `also`; a throw rolls
   * everything back.
   */
  afterStored?: (trx: Transaction<Database>, exchange: StartedExchange) => Promise<T>;
}

interface LeaseArgs extends Record<string, unknown> {
  owner: string;
  expiresAt: string;
  now: string;
  tenantId: string;
  sessionId: string;
}

// The lease's conditional UPDATE, which also bumps the message counter and returns it (see startExchange).
function takeLeaseQuery(db: DbOrTx, pin: PinFields | null) {
  return {
    build: (p: <K extends keyof LeaseArgs & string>(name: K) => LeaseArgs[K]) =>
      db
        .updateTable('chat_sessions')
        .set({
          ...(pin ?? {}),
          lease_owner: p('owner'),
          lease_expires_at: p('expiresAt'),
          last_activity_at: p('now'),
          turns: sql<number>`turns + 1`,
          message_seq: sql<number>`message_seq + 2`,
        })
        .where('tenant_id', '=', p('tenantId'))
        .where('id', '=', p('sessionId'))
        .where((eb) => leaseIsFree(eb, p('now')))
        .returning('message_seq'),
    bind: (args: LeaseArgs) => takeLeaseQuery(db, pin).build((name) => args[name]).executeTakeFirst(),
  };
}
const takeLease = preparedQuery<LeaseArgs, { message_seq: number }>((db, p) => takeLeaseQuery(db, null).build(p));

const insertExchange = preparedQuery<
  { tenantId: string; sessionId: string; now: string; userId: string; userSeq: number; content: string; userParts: string; assistantId: string; assistantSeq: number; model: string },
  never
>((db, p) => {
  const base = { tenant_id: p('tenantId'), session_id: p('sessionId'), error_code: null, input_tokens: null, output_tokens: null, created_at: p('now'), updated_at: p('now') };
  return db.insertInto('chat_messages').values([
    { ...base, id: p('userId'), seq: p('userSeq'), role: 'user', content: p('content'), parts: p('userParts'), model: null, status: 'complete' },
    { ...base, id: p('assistantId'), seq: p('assistantSeq'), role: 'assistant', content: '', parts: '[]', model: p('model'), status: 'streaming' },
  ]);
});

/**
 * Takes the session's lease, stores the user's message and the (empty, `streaming`) assistant row, and
 * marks the session active — one transaction, one commit (issue 8: this was three). The lease is the
 * first statement: a conditional UPDATE that also bumps the session's message counter and returns it, so
 * seq numbers come without a `select max(seq)` and cannot collide. Null when another writer holds the
 * lease (nothing is written).
 */
export async function startExchange<T = undefined>(deps: Deps, input: ExchangeInput<T>): Promise<(StartedExchange & { also: T }) | null> {
  const now = deps.clock.now().toISOString();
  const owner = newId();
  const userMessageId = newId();
  const assistantMessageId = newId();
  return deps.db.transaction().execute(async (trx) => {
    const lease = { owner, expiresAt: leaseExpiry(deps, input.timing), now, tenantId: input.tenantId, sessionId: input.sessionId };
    // The common turn keeps its pin: that UPDATE is compiled once; a re-pin (rare) builds its own.
    const taken = input.pin
      ? await takeLeaseQuery(trx, input.pin).bind(lease)
      : (await takeLease.execute(trx, lease)).rows[0];
    if (taken === undefined) return null;
    if (input.underLease) await input.underLease(trx);
    const seq = Number(taken.message_seq) - 1;
    await insertExchange.execute(trx, {
      tenantId: input.tenantId,
      sessionId: input.sessionId,
      now,
      userId: userMessageId,
      userSeq: seq,
      content: input.content,
      userParts: JSON.stringify([{ type: 'text', text: input.content }]),
      assistantId: assistantMessageId,
      assistantSeq: seq + 1,
      model: input.model,
    });
    const started: StartedExchange = { lease: { tenantId: input.tenantId, sessionId: input.sessionId, owner }, userMessageId, assistantMessageId, assistantSeq: seq + 1 };
    const also = input.afterStored ? await input.afterStored(trx, started) : (undefined as T);
    return { ...started, also };
  });
}
