// Releases the budget reservations of calls whose process died (kill -9, a crashed instance) so that
// their worst-case amounts do not hold the budget for the rest of the month. A reservation lives for one
// model call; one older than an hour belongs to nobody any more.
import type { AppContext } from '../app-context.ts';
import { sweepStaleReservations } from './budget-ledger.ts';

export const STALE_RESERVATION_MS = 60 * 60 * 1000;
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/** Starts the periodic sweep (once at start too); returns stop(). */
export function startReservationSweeper(
  ctx: Pick<AppContext, 'db' | 'clock' | 'logger'>,
  options: { intervalMs?: number; maxAgeMs?: number } = {},
): { stop(): void } {
  const maxAge = options.maxAgeMs ?? STALE_RESERVATION_MS;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const now = ctx.clock.now();
      const released = await sweepStaleReservations(ctx.db, new Date(now.getTime() - maxAge), now);
      if (released > 0) ctx.logger.warn({ released }, 'released budget reservations left by calls that never finished');
    } catch (error) {
      ctx.logger.error({ err: error }, 'budget reservation sweep failed');
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
