// `npm run bench [-- --quick] [--only overhead|first-token|many-chats] [--cpu-prof]`: starts the
// simulator, Mosaic (and Portkey) each in its own process, runs the scenarios with load from another
// process, and writes bench/results/<timestamp>.{json,md}; a full run also rewrites docs/performance.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMosaic } from './harness/mosaic-process.ts';
import { startPortkey, PORTKEY_PACKAGE } from './harness/portkey-process.ts';
import { startSim } from './harness/sim-server.ts';
import { setUpTenant } from './harness/tenant-setup.ts';
import { describeMachine, writePerformanceDoc, writeResults, type BenchReport } from './report.ts';
import type { BenchEnv } from './scenarios/bench-env.ts';
import { runFirstToken } from './scenarios/first-token.ts';
import { runManyChats } from './scenarios/many-chats.ts';
import { runOverhead } from './scenarios/overhead.ts';
import { METHOD_NOTES } from './method-notes.ts';

const SCENARIOS = ['overhead', 'first-token', 'many-chats'] as const;
const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
mkdirSync(RESULTS, { recursive: true });

// 2,000 streams hold ~6,000 sockets across the processes: re-run under a raised open-file limit.
if (process.env.MOSAIC_BENCH_NOFILE !== '1') {
  const args = process.argv.slice(2).map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" "${process.argv[1]}" ${args}`;
  const run = spawnSync('bash', ['-c', script], { stdio: 'inherit', env: { ...process.env, MOSAIC_BENCH_NOFILE: '1' } });
  process.exit(run.status ?? 1);
}

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, 'cpu-prof': { type: 'boolean' } }, strict: true });
const quick = values.quick === true;
const only = values.only;
if (only !== undefined && !(SCENARIOS as readonly string[]).includes(only)) {
  process.stderr.write(`bench: --only takes one of ${SCENARIOS.join(', ')}\n`);
  process.exit(2);
}
const wants = (name: (typeof SCENARIOS)[number]) => only === undefined || only === name;
const log = (line: string) => process.stdout.write(`${line}\n`);

const startedAt = new Date().toISOString();
const started = performance.now();
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
log(`bench: ${quick ? 'quick' : 'full'} run${only ? `, only ${only}` : ''}`);

const sim = await startSim();
const cpuProfDir = values['cpu-prof'] ? RESULTS : null;
const mosaic = await startMosaic({ simAnthropicBaseUrl: sim.anthropic.baseUrl, cpuProfDir, env: { MOSAIC_CHEAP_FLOWS: '0' } });
const needsPeer = wants('overhead') || wants('first-token');
const portkey = needsPeer ? await startPortkey() : { error: 'not run (--only)' };
if ('error' in portkey) log(`bench: ${PORTKEY_PACKAGE} unavailable: ${portkey.error}`);
const report: BenchReport = {
  startedAt,
  quick,
  command,
  machine: describeMachine(),
  peer: { name: PORTKEY_PACKAGE, version: 'error' in portkey ? null : portkey.version, error: 'error' in portkey ? portkey.error : null },
  overhead: null,
  firstToken: null,
  manyChats: null,
  profile: null,
};
let failed = false;
try {
  const token = await setUpTenant(mosaic.url, sim.anthropic);
  const env: BenchEnv = { quick, sim, mosaic, token, portkey };
  if (wants('overhead')) {
    log('scenario 1 + 4: overhead per chat turn (Mosaic, direct, peer)');
    report.overhead = await runOverhead(env, log);
  }
  if (wants('first-token')) {
    log('scenario 2: time to first token');
    report.firstToken = await runFirstToken(env, log);
  }
  if (wants('many-chats')) {
    log('scenario 3: many chats at once');
    report.manyChats = await runManyChats(env, log);
  }
} catch (error) {
  failed = true;
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\nMosaic's stderr:\n${mosaic.child.stderrTail().slice(-2000)}\n`);
} finally {
  if (!('error' in portkey)) await portkey.stop();
  const before = new Set(readdirSync(RESULTS, { withFileTypes: true }).map((d) => d.name));
  await mosaic.stop();
  await sim.stop();
  if (cpuProfDir) report.profile = readdirSync(RESULTS).find((f) => f.endsWith('.cpuprofile') && !before.has(f)) ?? null;
}
const written = writeResults(report, RESULTS);
if (!quick && only === undefined && !failed) writePerformanceDoc(report, path.join(ROOT, 'docs', 'performance.md'), METHOD_NOTES);
log(`\n${readFileSync(written.markdown, 'utf8')}\n\nbench: wrote ${path.relative(ROOT, written.json)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
