// Scenario 1 (and 4, the peer): a non-streaming chat turn through Mosaic versus the same model call
// straight to the simulator and through Portkey's gateway; 1 client, fixed arrival rates, and the
// highest rate Mosaic holds with p99 under 50 ms.
import type { Schedule, Target } from '../load/load-job.ts';
import { failedRow, measureTurns, type BenchEnv, type ResultRow } from './bench-env.ts';
import { captureModelCall, directTarget, portkeyTarget } from './captured-call.ts';

/** An answer at once, in text: no tool loop, so one model call per turn. */
export const OVERHEAD_CONTENT = '[[sim:no-tools]] How many orders did we get last month?';
const TURNS_PER_SESSION = 4;
const P99_LIMIT_MS = 50;

export interface OverheadResult {
  rows: ResultRow[];
  /** Highest open-loop rate (turns/s) with p99 < 50 ms and no error; null when not searched. */
  maxRateUnder50ms: number | null;
  searched: Array<{ rate: number; p99: number; errors: number }>;
}

export async function runOverhead(env: BenchEnv, log: (line: string) => void): Promise<OverheadResult> {
  const call = await captureModelCall(env, OVERHEAD_CONTENT, false);
  const paths: Array<{ path: string; target: Target; pid: number | null }> = [
    { path: 'Mosaic', target: mosaicTarget(env, false), pid: env.mosaic.child.pid },
    { path: 'direct to simulator', target: directTarget(env, call, false), pid: null },
  ];
  if (!('error' in env.portkey)) paths.push({ path: `Portkey ${env.portkey.version}`, target: portkeyTarget(env, env.portkey.url, call, false), pid: env.portkey.child.pid });

  const seconds = env.quick ? 2 : 10;
  const loads: Array<{ load: string; schedule: Schedule }> = [
    { load: '1 client', schedule: { kind: 'closed', clients: 1, durationMs: seconds * 1000 } },
    { load: 'open loop 100/s', schedule: { kind: 'open', ratePerSecond: 100, durationMs: seconds * 1000 } },
    { load: 'open loop 300/s', schedule: { kind: 'open', ratePerSecond: 300, durationMs: seconds * 1000 } },
  ];
  const rows: ResultRow[] = [];
  for (const { load, schedule } of loads) {
    for (const p of paths) {
      log(`  overhead: ${load} via ${p.path}`);
      const meta = { scenario: 'overhead', load, path: p.path };
      try {
        rows.push(await measureTurns({ kind: 'turns', target: p.target, schedule, warmupRequests: 50 }, p.pid, meta));
      } catch (error) {
        if (p.path === 'Mosaic') throw error;
        rows.push(failedRow(meta, (error as Error).message));
      }
    }
  }

  const searched: OverheadResult['searched'] = [];
  let maxRate: number | null = null;
  if (!env.quick) {
    for (const rate of [200, 300, 400, 500, 600, 800, 1000, 1200]) {
      log(`  overhead: searching, open loop ${rate}/s via Mosaic`);
      const row = await measureTurns(
        { kind: 'turns', target: mosaicTarget(env, false), schedule: { kind: 'open', ratePerSecond: rate, durationMs: 5000 }, warmupRequests: 20 },
        env.mosaic.child.pid,
        { scenario: 'overhead-search', load: `open loop ${rate}/s`, path: 'Mosaic' },
      );
      rows.push(row);
      searched.push({ rate, p99: row.latency.p99, errors: row.errors });
      if (row.errors > 0 || !(row.latency.p99 < P99_LIMIT_MS)) break;
      maxRate = rate;
    }
  }
  return { rows, maxRateUnder50ms: maxRate, searched };
}

export function mosaicTarget(env: BenchEnv, stream: boolean, content = OVERHEAD_CONTENT): Target {
  return { kind: 'mosaic-turn', mosaicUrl: env.mosaic.url, token: env.token, content, turnsPerSession: TURNS_PER_SESSION, stream };
}
