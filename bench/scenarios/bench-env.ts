// What every scenario gets: the running servers, the load token, the run's mode, and one helper that
// runs a load job while reading the watched server's CPU and memory from /proc.
import type { MosaicServer } from '../harness/mosaic-process.ts';
import type { PortkeyServer } from '../harness/portkey-process.ts';
import type { SimServer } from '../harness/sim-server.ts';
import type { LoadJob, StreamsResult, TurnsResult } from '../load/load-job.ts';
import { runLoad } from '../load/run-load.ts';
import { procDelta, resetPeakRss, sampleProcess, type ProcDelta } from '../proc-stats.ts';
import { summarize, type Summary } from '../stats.ts';

export interface BenchEnv {
  quick: boolean;
  sim: SimServer;
  mosaic: MosaicServer;
  token: string;
  portkey: PortkeyServer | { error: string };
}

/** One line of a result table. */
export interface ResultRow {
  scenario: string;
  /** e.g. "1 client", "open loop 300/s", "1,000 streams". */
  load: string;
  /** "Mosaic", "direct to simulator", "Portkey x.y.z". */
  path: string;
  requests: number;
  errors: number;
  errorSamples: string[];
  /** Full-answer latency (ms). */
  latency: Summary;
  /** Time to the first text token (ms), streaming rows only. */
  firstToken: Summary | null;
  /** CPU (user + sys) of the process on the path (Mosaic or Portkey) per request, ms; null for direct. */
  cpuMsPerRequest: number | null;
  peakRssMiB: number | null;
  /** Achieved requests per second. */
  throughput: number;
  extra: Record<string, number | string | null>;
}

const MiB = 1024 * 1024;

/** Runs a turns job, sampling `watchPid` (null: nothing to watch) around the measured window. */
export async function measureTurns(job: LoadJob & { kind: 'turns' }, watchPid: number | null, row: { scenario: string; load: string; path: string }): Promise<ResultRow> {
  const sample = () => (watchPid === null ? null : sampleProcess(watchPid));
  const run = await runLoad<TurnsResult, ReturnType<typeof sample>>(
    job,
    {
      before: () => {
        if (watchPid !== null) resetPeakRss(watchPid);
        return sample();
      },
      after: sample,
    },
    job.schedule.durationMs + 120_000,
  );
  const delta: ProcDelta | null = run.before && run.after ? procDelta(run.before, run.after) : null;
  const r = run.result;
  return {
    ...row,
    requests: r.latenciesMs.length,
    errors: r.errors,
    errorSamples: r.errorSamples,
    latency: summarize(r.latenciesMs),
    firstToken: r.firstTokenMs.length > 0 ? summarize(r.firstTokenMs) : null,
    cpuMsPerRequest: delta && r.sent > 0 ? delta.cpuMs / r.sent : null,
    peakRssMiB: delta ? delta.peakRssBytes / MiB : null,
    throughput: (r.latenciesMs.length * 1000) / r.elapsedMs,
    extra: {},
  };
}

export async function measureStreams(job: LoadJob & { kind: 'streams' }, watchPid: number, around: { before: () => Promise<void>; after: () => Promise<Record<string, number | null>> }): Promise<{ result: StreamsResult; delta: ProcDelta; scraped: Record<string, number | null> }> {
  let scraped: Record<string, number | null> = {};
  const run = await runLoad<StreamsResult, ReturnType<typeof sampleProcess>>(
    job,
    {
      before: async () => {
        resetPeakRss(watchPid);
        await around.before();
        return sampleProcess(watchPid);
      },
      after: async () => {
        const s = sampleProcess(watchPid);
        scraped = await around.after();
        return s;
      },
    },
    job.timeoutMs + job.rampMs + 180_000,
  );
  return { result: run.result, delta: procDelta(run.before, run.after), scraped };
}

/** A row for a path that could not be measured (the reason shows in the table's error samples). */
export function failedRow(meta: { scenario: string; load: string; path: string }, message: string): ResultRow {
  const none = { count: 0, median: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return { ...meta, requests: 0, errors: 1, errorSamples: [message.split('\n')[0] ?? message], latency: none, firstToken: null, cpuMsPerRequest: null, peakRssMiB: null, throughput: 0, extra: {} };
}
