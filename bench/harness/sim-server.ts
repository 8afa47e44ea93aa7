// Starts bench/harness/sim-process.ts and reads where it listens.
import path from 'node:path';
import { startChild, type Child } from './child-process.ts';

export interface SimServer {
  anthropic: { baseUrl: string; apiKey: string };
  controlUrl: string;
  child: Child;
  /** The last request the simulated Anthropic received: what Mosaic's adapter sent. */
  lastRequest(): Promise<{ path: string; headers: Record<string, string>; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export async function startSim(): Promise<SimServer> {
  const entry = path.join(import.meta.dirname, 'sim-process.ts');
  const { child, value } = await startChild(process.execPath, [entry], {
    name: 'simulator',
    ready: (line) => {
      try {
        return JSON.parse(line) as { anthropic: { baseUrl: string; apiKey: string }; controlUrl: string };
      } catch {
        return null;
      }
    },
  });
  return {
    ...value,
    child,
    async lastRequest() {
      const res = await fetch(`${value.controlUrl}/last`);
      if (!res.ok) throw new Error('the simulator has received no Anthropic request yet');
      return (await res.json()) as { path: string; headers: Record<string, string>; body: Record<string, unknown> };
    },
    stop: () => child.stop(),
  };
}
