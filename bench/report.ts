// The run's results as JSON (bench/results/<timestamp>.json) and Markdown (the same tables go into
// docs/performance.md with the machine and the exact commands).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResultRow } from './scenarios/bench-env.ts';
import type { OverheadResult } from './scenarios/overhead.ts';

export interface BenchReport {
  startedAt: string;
  quick: boolean;
  command: string;
  machine: Machine;
  peer: { name: string; version: string | null; error: string | null };
  overhead: OverheadResult | null;
  firstToken: ResultRow[] | null;
  manyChats: ResultRow[] | null;
  profile: string | null;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  let cpus = os.availableParallelism();
  try {
    cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || cpus;
  } catch {
    // keep Node's count
  }
  return { cpus, cpuModel, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, os: `${os.type()} ${os.release()}` };
}

const ms = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

function find(rows: ResultRow[], load: string, pathPrefix: string): ResultRow | undefined {
  return rows.find((r) => r.load === load && r.path.startsWith(pathPrefix));
}

function latencyTable(rows: ResultRow[], firstToken: boolean): string[] {
  const lines = [
    `| load | path | requests | errors | median ms | p90 ms | p99 ms | max ms | CPU ms/request | peak RSS MiB |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const s = firstToken && r.firstToken ? r.firstToken : r.latency;
    lines.push(`| ${r.load} | ${r.path} | ${r.requests} | ${r.errors} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${ms(r.cpuMsPerRequest, 3)} | ${ms(r.peakRssMiB, 0)} |`);
  }
  return lines;
}

function addedTable(rows: ResultRow[], loads: string[], firstToken: boolean): string[] {
  const pick = (r: ResultRow | undefined) => (r ? (firstToken && r.firstToken ? r.firstToken : r.latency) : null);
  const lines = ['| load | path | added median ms | added p99 ms | CPU ms/request | CPU vs Portkey |', '|---|---|---:|---:|---:|---:|'];
  for (const load of loads) {
    const direct = pick(find(rows, load, 'direct'));
    const portkey = find(rows, load, 'Portkey');
    for (const prefix of ['Mosaic', 'Portkey']) {
      const row = find(rows, load, prefix);
      const s = pick(row);
      if (!row || !s || !direct) continue;
      const ratio = row.cpuMsPerRequest !== null && portkey?.cpuMsPerRequest ? `${(row.cpuMsPerRequest / portkey.cpuMsPerRequest).toFixed(2)}×` : '—';
      lines.push(`| ${load} | ${row.path} | ${ms(s.median - direct.median)} | ${ms(s.p99 - direct.p99)} | ${ms(row.cpuMsPerRequest, 3)} | ${ratio} |`);
    }
  }
  return lines;
}

function manyChatsTable(rows: ResultRow[]): string[] {
  const lines = [
    '| streams | completed | errors | lost chunks | corrupted streams | chunks/s relayed | event-loop p99 ms | event-loop max ms | peak RSS MiB | CPU µs/chunk | max gap between chunks ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const e = r.extra;
    lines.push(`| ${e.sessions} | ${r.requests} | ${r.errors} | ${e.lostChunks} | ${e.corruptedStreams} | ${ms(r.throughput, 0)} | ${ms(e.eventLoopP99Ms as number)} | ${ms(e.eventLoopMaxMs as number)} | ${ms(r.peakRssMiB, 0)} | ${ms(e.cpuUsPerChunk as number, 1)} | ${ms(e.maxChunkGapMs as number, 0)} |`);
  }
  return lines;
}

interface TargetCheck {
  what: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

export function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const rows = report.overhead?.rows ?? [];
  const mosaic1 = find(rows, '1 client', 'Mosaic');
  const direct1 = find(rows, '1 client', 'direct');
  if (mosaic1 && direct1) {
    const median = mosaic1.latency.median - direct1.latency.median;
    const p99 = mosaic1.latency.p99 - direct1.latency.p99;
    checks.push({ what: 'added latency per non-streaming turn, 1 client, median', goal: '≤ 1 ms', measured: `${ms(median)} ms`, met: median <= 1 });
    checks.push({ what: 'added latency per non-streaming turn, 1 client, p99', goal: '≤ 3 ms', measured: `${ms(p99)} ms`, met: p99 <= 3 });
  }
  const cpuRows = rows.filter((r) => r.path === 'Mosaic' && r.scenario === 'overhead' && r.cpuMsPerRequest !== null);
  if (cpuRows.length > 0) {
    const worst = Math.max(...cpuRows.map((r) => r.cpuMsPerRequest as number));
    const portkey = rows.filter((r) => r.path.startsWith('Portkey') && r.cpuMsPerRequest !== null).map((r) => r.cpuMsPerRequest as number);
    const peer = portkey.length > 0 ? ` (Portkey: ${ms(Math.min(...portkey), 3)}–${ms(Math.max(...portkey), 3)} ms)` : '';
    checks.push({ what: 'Mosaic CPU per turn (worst of the overhead loads)', goal: '≤ 0.5 ms', measured: `${ms(worst, 3)} ms${peer}`, met: worst <= 0.5 });
  }
  if (report.overhead?.maxRateUnder50ms !== undefined && !report.quick) {
    checks.push({ what: 'highest open-loop rate with p99 < 50 ms', goal: 'report', measured: report.overhead.maxRateUnder50ms === null ? 'below 200/s' : `${report.overhead.maxRateUnder50ms} turns/s`, met: null });
  }
  const ft = report.firstToken ?? [];
  const ftM = ft.find((r) => r.path === 'Mosaic')?.firstToken;
  const ftD = ft.find((r) => r.path.startsWith('direct'))?.firstToken;
  if (ftM && ftD) checks.push({ what: 'time to first token added, median', goal: '≤ 2 ms', measured: `${ms(ftM.median - ftD.median)} ms`, met: ftM.median - ftD.median <= 2 });
  const many = report.manyChats ?? [];
  const perChunk = many.map((r) => r.extra.cpuUsPerChunk as number | null).filter((v): v is number => v !== null);
  if (perChunk.length > 0) {
    const worst = Math.max(...perChunk);
    checks.push({ what: 'CPU per relayed chunk (worst count), persistence included', goal: '≤ 20 µs', measured: `${ms(worst, 1)} µs`, met: worst <= 20 });
  }
  const passes = (r: ResultRow) => r.errors === 0 && r.extra.lostChunks === 0 && r.extra.corruptedStreams === 0 && (r.peakRssMiB ?? Infinity) <= 1024 && ((r.extra.eventLoopP99Ms as number | null) ?? Infinity) <= 50;
  const thousand = many.find((r) => r.extra.sessions === 1000);
  if (thousand) {
    checks.push({
      what: '1,000 concurrent streams: no error, no lost chunk, RSS ≤ 1 GiB, event-loop p99 ≤ 50 ms',
      goal: 'all four',
      measured: `${thousand.errors} errors, ${thousand.extra.lostChunks} lost, ${thousand.extra.corruptedStreams} corrupted, ${ms(thousand.peakRssMiB, 0)} MiB, p99 ${ms(thousand.extra.eventLoopP99Ms as number)} ms`,
      met: passes(thousand),
    });
  }
  if (many.length > 0) {
    const ok = many.filter(passes).map((r) => r.extra.sessions as number);
    checks.push({ what: 'highest stream count meeting those four', goal: 'report', measured: ok.length > 0 ? String(Math.max(...ok)) : `none of ${many.map((r) => r.extra.sessions).join(', ')}`, met: null });
  }
  return checks;
}

/** The Markdown tables of a run (what goes into docs/performance.md under "Latest results"). */
export function renderMarkdown(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(`Run ${report.startedAt} (${report.quick ? 'quick' : 'full'}: \`${report.command}\`) on ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}.`, '');
  out.push(`Peer: ${report.peer.error ? `**${report.peer.name} could not be run: ${report.peer.error}**` : `${report.peer.name} ${report.peer.version}`}.`, '');
  out.push('### Targets', '', '| target | goal | measured | met |', '|---|---|---|---|');
  for (const c of checkTargets(report)) out.push(`| ${c.what} | ${c.goal} | ${c.measured} | ${c.met === null ? '—' : c.met ? 'yes' : '**no**'} |`);
  if (report.overhead) {
    const loads = ['1 client', 'open loop 100/s', 'open loop 300/s'];
    out.push('', '### 1 + 4. Overhead per non-streaming chat turn (vs direct, and the peer)', '', ...addedTable(report.overhead.rows, loads, false));
    out.push('', 'Full-answer latency:', '', ...latencyTable(report.overhead.rows, false));
    if (report.overhead.searched.length > 0) {
      out.push('', `Rate search (open loop, 5 s each, Mosaic): ${report.overhead.searched.map((s) => `${s.rate}/s → p99 ${ms(s.p99)} ms${s.errors ? `, ${s.errors} errors` : ''}`).join('; ')}.`);
    }
  }
  if (report.firstToken) {
    out.push('', '### 2. Time to first token (streaming, 1 client)', '', ...addedTable(report.firstToken, ['1 client, streaming'], true));
    out.push('', 'Time to first token:', '', ...latencyTable(report.firstToken, true));
  }
  if (report.manyChats) out.push('', '### 3. Many chats at once (10 chunks/s each)', '', ...manyChatsTable(report.manyChats));
  const errors = [...(report.overhead?.rows ?? []), ...(report.firstToken ?? []), ...(report.manyChats ?? [])].filter((r) => r.errorSamples.length > 0);
  if (errors.length > 0) {
    out.push('', 'Error samples:', '');
    for (const r of errors) out.push(`- ${r.scenario} ${r.load} via ${r.path}: ${r.errorSamples.map((e) => `\`${e.replace(/[`|\n]/g, ' ')}\``).join(', ')}`);
  }
  if (report.profile) out.push('', `CPU profile of Mosaic: \`${report.profile}\`.`);
  return out.join('\n');
}

/** Writes bench/results/<timestamp>.json and .md; returns their paths. */
export function writeResults(report: BenchReport, resultsDir: string): { json: string; markdown: string } {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = path.join(resultsDir, `${stamp}.json`);
  const markdown = path.join(resultsDir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  writeFileSync(markdown, `${renderMarkdown(report)}\n`);
  return { json, markdown };
}

/** Rewrites docs/performance.md: the method, the exact commands and the latest tables. */
export function writePerformanceDoc(report: BenchReport, docPath: string, notes: string): void {
  const doc = [
    '# Performance',
    '',
    'What Mosaic adds to every model call, and how many chats one machine holds (issue 8). Regenerated by',
    '`npm run bench`; the raw numbers of every run are in `bench/results/<timestamp>.json` (not committed).',
    'What was profiled and changed, with the before and after of each step, and what dominates now:',
    '[performance-history.md](performance-history.md) (written by hand, not regenerated).',
    '',
    '## How to run',
    '',
    '```sh',
    'npm install',
    'npm run bench -- --quick        # about 50 s: every scenario, short; 250 streams only',
    'npm run bench                   # the full suite, about 6 minutes',
    'npm run bench -- --only overhead   # one scenario: overhead | first-token | many-chats',
    'npm run bench -- --cpu-prof     # also profile Mosaic (node --cpu-prof → bench/results/*.cpuprofile)',
    '```',
    '',
    '## How it measures',
    '',
    notes,
    '',
    '## Latest results',
    '',
    renderMarkdown(report),
    '',
  ];
  writeFileSync(docPath, doc.join('\n'));
}
