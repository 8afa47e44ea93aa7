// Mosaic's event-loop delay, from its own /metrics (prom-client's monitorEventLoopDelay gauges). The
// histogram resets on every scrape, so a scrape before and one after a scenario bracket it exactly.

/** p99 and max event-loop delay since the previous scrape, in ms (null when the metric is missing). */
export async function scrapeEventLoopDelay(mosaicUrl: string): Promise<{ p99Ms: number | null; maxMs: number | null }> {
  const text = await (await fetch(`${mosaicUrl}/metrics`)).text();
  return { p99Ms: gaugeMs(text, 'nodejs_eventloop_lag_p99_seconds'), maxMs: gaugeMs(text, 'nodejs_eventloop_lag_max_seconds') };
}

export function gaugeMs(metrics: string, suffix: string): number | null {
  const match = new RegExp(`^(?:\\w+_)?${suffix}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(metrics);
  return match ? Number(match[1]) * 1000 : null;
}
