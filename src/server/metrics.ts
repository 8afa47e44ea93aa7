// Prometheus metrics. One registry per app (tests build many apps in one process). Besides HTTP, the
// model calls Mosaic makes on tenants' behalf: what operators watch for a provider outage (errors by
// code), a runaway agent (tokens, cost) or a budget that bites (refusals). Labels stay low-cardinality:
// provider kind, model name, flow, outcome — never a tenant or user id.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  modelCalls: Counter<'provider' | 'model' | 'flow' | 'outcome' | 'code'>;
  modelCallDuration: Histogram<'provider' | 'flow'>;
  modelTokens: Counter<'provider' | 'model' | 'direction'>;
  modelCostUsd: Counter<'provider' | 'model'>;
  toolCalls: Counter<'tool' | 'outcome'>;
  budgetRefusals: Counter<'scope'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'mosaic_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'mosaic_http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'mosaic_http_request_duration_seconds',
      help: 'HTTP request latency by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    modelCalls: new Counter({
      name: 'mosaic_model_calls_total',
      help: 'Model calls to the tenants\' providers by provider kind, model, flow (orchestrator, title, suggestions), outcome and error code.',
      labelNames: ['provider', 'model', 'flow', 'outcome', 'code'],
      registers,
    }),
    modelCallDuration: new Histogram({
      name: 'mosaic_model_call_duration_seconds',
      help: 'Model call duration (whole call, streamed or not) by provider kind and flow.',
      labelNames: ['provider', 'flow'],
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
      registers,
    }),
    modelTokens: new Counter({
      name: 'mosaic_model_tokens_total',
      help: 'Tokens reported by the providers, by provider kind, model and direction (input, output).',
      labelNames: ['provider', 'model', 'direction'],
      registers,
    }),
    modelCostUsd: new Counter({
      name: 'mosaic_model_cost_usd_total',
      help: 'Cost of model calls at the catalog\'s prices (USD), by provider kind and model.',
      labelNames: ['provider', 'model'],
      registers,
    }),
    toolCalls: new Counter({
      name: 'mosaic_tool_calls_total',
      help: 'Agent tool calls by tool and outcome.',
      labelNames: ['tool', 'outcome'],
      registers,
    }),
    budgetRefusals: new Counter({
      name: 'mosaic_budget_refusals_total',
      help: 'Model calls refused with budget_exhausted, by the budget that refused (tenant, user).',
      labelNames: ['scope'],
      registers,
    }),
  };
}
