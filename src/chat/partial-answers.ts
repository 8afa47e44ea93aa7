// The partial answers of one flusher tick (answer-flusher.ts) written by one statement per batch:
// UPDATE … FROM (VALUES …), which SQLite (3.33+) and PostgreSQL both take. The VALUES columns are
// column1…column5 in both. A row already finished (complete, error, interrupted: by this process's final
// write, or by crash recovery elsewhere) is never set back to a partial text.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface PartialAnswer {
  tenantId: string;
  id: string;
  content: string;
  /** The parts as stored (JSON text). */
  parts: string;
  updatedAt: string;
}

export async function savePartialAnswers(trx: Transaction<Database>, rows: readonly PartialAnswer[]): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.tenantId}, ${r.id}, ${r.content}, ${r.parts}, ${r.updatedAt})`));
  await sql`update chat_messages set content = v.column3, parts = v.column4, updated_at = v.column5
    from (values ${values}) as v
    where chat_messages.tenant_id = v.column1 and chat_messages.id = v.column2 and chat_messages.status = 'streaming'`.execute(trx);
}
