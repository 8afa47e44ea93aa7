// The value axis of a bar chart: a round top value (1, 2, 2.5 or 5 times a power of ten) so that the
// gridlines at 0, ½ and the top carry their exact values. Rounding the labels instead once put "$0.0200"
// on a line drawn at $0.0167.

/** The smallest round number ≥ v: 1, 2, 2.5 or 5 × 10^k. */
export function niceCeiling(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  const fraction = v / power;
  // A hair over a step (floating point: 0.3 / 0.1 is 2.9999999999999996) still counts as that step.
  const step = [1, 2, 2.5, 5, 10].find((s) => fraction <= s * (1 + 1e-9)) ?? 10;
  return Number((step * power).toPrecision(12));
}

/** The axis's top value for `values` (and a reference line); whole numbers keep a whole half-way line. */
export function axisMax(values: number[], options: { integer?: boolean; reference?: number | null } = {}): number {
  const raw = Math.max(options.reference ?? 0, ...values, 0);
  if (options.integer) return Math.max(2, Math.ceil(raw / 2) * 2);
  return niceCeiling(raw);
}
