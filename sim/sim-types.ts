// Types shared by the simulator's modules and by the tests that drive it.
import type { Clock } from '../src/clock.ts';
import type { SimRequestLog } from './sim-request-log.ts';

export type SimProviderName = 'anthropic' | 'openai' | 'azure';

/** The valid API key of each simulated provider. */
export interface SimKeys {
  anthropic: string;
  openai: string;
  azure: string;
}

export interface SimAzureDeployment {
  name: string;
  apiStyle: 'openai' | 'anthropic';
  model: string;
}

export interface SimulatorOptions {
  /** Loopback by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  anthropicPort?: number;
  openaiPort?: number;
  azurePort?: number;
  keys?: Partial<SimKeys>;
  /** Timestamps in answers (`created`); pacing still uses real timers. */
  clock?: Clock;
  /** Extra keys that authenticate and then trigger a fault: provider → key → fault (e.g. `429`, `tps:5`). */
  faultKeys?: Partial<Record<SimProviderName, Record<string, string>>>;
}

export interface Simulator {
  anthropic: { baseUrl: string; apiKey: string };
  openai: { baseUrl: string; apiKey: string };
  azure: { endpoint: string; apiKey: string; deployments: SimAzureDeployment[] };
  requests: SimRequestLog;
  /** A key for `provider` that authenticates and triggers `fault` on every request made with it. */
  faultKey(provider: SimProviderName, fault: string): string;
  close(): Promise<void>;
}
