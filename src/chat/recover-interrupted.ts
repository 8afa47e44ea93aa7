// Nothing lost after a crash: an answer left `streaming` by an instance that died (kill -9, power loss)
// becomes `interrupted` once its session lease has run out, keeping the partial text last flushed, and
// the lease is cleared so the session takes new messages. An answer whose lease is fresh is being
// written by a live instance (maybe another one) and is never touched.
import type { AppContext } from '../app-context.ts';

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

export const RECOVERY_INTERVAL_MS = 10_000;

/** One pass; returns how many answers were marked interrupted. */
export async function recoverInterrupted(deps: Deps): Promise<number> {
  const now = deps.clock.now().toISOString();
  const stale = await deps.db
    .selectFrom('chat_messages')
    .innerJoin('chat_sessions', (join) => join.onRef('chat_sessions.id', '=', 'chat_messages.session_id').onRef('chat_sessions.tenant_id', '=', 'chat_messages.tenant_id'))
    .select(['chat_messages.id', 'chat_messages.tenant_id', 'chat_messages.session_id'])
    .where('chat_messages.status', '=', 'streaming')
    .where((eb) => eb.or([eb('chat_sessions.lease_expires_at', 'is', null), eb('chat_sessions.lease_expires_at', '<=', now)]))
    .execute();
  let recovered = 0;
  for (const message of stale) {
    // Re-checked in the same statement: the lease may have been taken again since the select.
    const result = await deps.db
      .updateTable('chat_messages')
      .set({ status: 'interrupted', updated_at: now })
      .where('id', '=', message.id)
      .where('status', '=', 'streaming')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('chat_sessions')
              .select('chat_sessions.id')
              .where('chat_sessions.id', '=', message.session_id)
              .where('chat_sessions.lease_expires_at', '>', now),
          ),
        ),
      )
      .executeTakeFirst();
    if (result.numUpdatedRows === 1n) recovered++;
    await deps.db
      .updateTable('chat_sessions')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('tenant_id', '=', message.tenant_id)
      .where('id', '=', message.session_id)
      .where('lease_expires_at', '<=', now)
      .execute();
  }
  if (recovered > 0) deps.logger.info({ recovered }, 'answers left streaming by a stopped instance were marked interrupted');
  return recovered;
}

/** Runs recoverInterrupted now and then periodically; the returned function stops it. */
export function startRecoveryLoop(deps: Deps, intervalMs = RECOVERY_INTERVAL_MS): () => void {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    recoverInterrupted(deps)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'interrupted-answer recovery failed; will retry'))
      .finally(() => {
        running = false;
      });
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
