// CPU time and memory of another process, read from /proc: the OS's own accounting, which stays honest
// on a noisy machine where wall-clock throughput does not.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ProcSample {
  /** user + sys CPU time consumed so far, in milliseconds. */
  cpuMs: number;
  /** Current resident set size, in bytes. */
  rssBytes: number;
  /** Peak resident set size since the process started (VmHWM), in bytes. */
  peakRssBytes: number;
}

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat) in clock ticks; the command name may hold spaces. */
export function parseStatCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return Number(fields[11]) + Number(fields[12]);
}

/** A `Vm…:  123 kB` line of /proc/<pid>/status in bytes (0 when absent). */
export function parseStatusKb(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuMs: (parseStatCpuTicks(stat) * 1000) / clockTicks(),
    rssBytes: parseStatusKb(status, 'VmRSS'),
    peakRssBytes: parseStatusKb(status, 'VmHWM'),
  };
}

export interface ProcDelta {
  cpuMs: number;
  peakRssBytes: number;
  rssAfterBytes: number;
}

/** What the process spent between two samples, and its peak RSS by the end. */
export function procDelta(before: ProcSample, after: ProcSample): ProcDelta {
  return { cpuMs: after.cpuMs - before.cpuMs, peakRssBytes: after.peakRssBytes, rssAfterBytes: after.rssBytes };
}

/** Resets the process's peak RSS (VmHWM) to its current RSS, so the next peak is this scenario's own. */
export function resetPeakRss(pid: number): boolean {
  try {
    // "5" = reset the peak resident set size (proc(5), clear_refs); needs to own the process or root.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
