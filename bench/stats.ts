// Latency statistics for the benchmark tables: nearest-rank percentiles over the whole sample (no
// interpolation, so a reported p99 is a latency that really happened).

export interface Summary {
  count: number;
  median: number;
  p90: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile `p` (0 < p ≤ 100) of an ascending-sorted sample; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Count, median, p90, p99 and max of a sample (any order; the input is not modified). */
export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return {
    count: list.length,
    median: percentile(list, 50),
    p90: percentile(list, 90),
    p99: percentile(list, 99),
    max: list.length === 0 ? Number.NaN : (list[list.length - 1] as number),
  };
}

/** `a - b` field by field: the latency one path adds over another at each percentile. */
export function subtractSummaries(a: Summary, b: Summary): Omit<Summary, 'count'> {
  return { median: a.median - b.median, p90: a.p90 - b.p90, p99: a.p99 - b.p99, max: a.max - b.max };
}
