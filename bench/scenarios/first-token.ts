// Scenario 2: time to first token of a streaming turn, through Mosaic (the first `text-delta`) versus
// straight from the simulator (the first `content_block_delta`), one client.
import { failedRow, measureTurns, type BenchEnv, type ResultRow } from './bench-env.ts';
import { captureModelCall, directTarget, portkeyTarget } from './captured-call.ts';
import { mosaicTarget, OVERHEAD_CONTENT } from './overhead.ts';

export async function runFirstToken(env: BenchEnv, log: (line: string) => void): Promise<ResultRow[]> {
  const call = await captureModelCall(env, OVERHEAD_CONTENT, true);
  const schedule = { kind: 'closed' as const, clients: 1, durationMs: (env.quick ? 2 : 10) * 1000 };
  const paths = [
    { path: 'Mosaic', target: mosaicTarget(env, true), pid: env.mosaic.child.pid as number | null },
    { path: 'direct to simulator', target: directTarget(env, call, true), pid: null },
  ];
  if (!('error' in env.portkey)) paths.push({ path: `Portkey ${env.portkey.version}`, target: portkeyTarget(env, env.portkey.url, call, true), pid: env.portkey.child.pid });
  const rows: ResultRow[] = [];
  for (const p of paths) {
    log(`  first token: 1 client via ${p.path}`);
    const meta = { scenario: 'first-token', load: '1 client, streaming', path: p.path };
    try {
      rows.push(await measureTurns({ kind: 'turns', target: p.target, schedule, warmupRequests: 30 }, p.pid, meta));
    } catch (error) {
      // The peer failing is a finding for the table, not a reason to lose the run.
      if (p.path === 'Mosaic') throw error;
      rows.push(failedRow(meta, (error as Error).message));
    }
  }
  return rows;
}
