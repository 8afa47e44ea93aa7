// The next message number kept on the session row (chat_sessions.message_seq = the highest seq used),
// so storing an exchange bumps it in the UPDATE that takes the session's lease, instead of a
// `select max(seq)` over the session's messages on every turn (issue 8). Existing sessions are backfilled.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chat_sessions').addColumn('message_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update chat_sessions set message_seq = coalesce((select max(m.seq) from chat_messages m where m.tenant_id = chat_sessions.tenant_id and m.session_id = chat_sessions.id), 0)`.execute(db);
}
