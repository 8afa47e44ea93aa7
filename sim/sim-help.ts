// What `npm run sim` prints for people: where each provider is, its keys, and how to trigger each
// fault. Kept as data so the printed help and the behaviour cannot drift apart silently.
import { ANTHROPIC_MODELS, OPENAI_MODELS } from './sim-catalog.ts';
import { PRINTED_KEY_FAULTS } from './sim-keys.ts';
import type { Simulator } from './sim-types.ts';

export const FAULT_DOCS: ReadonlyArray<{ fault: string; effect: string }> = [
  { fault: '401', effect: "the provider's real 401 (Anthropic authentication_error, OpenAI invalid_api_key, Azure code 401)" },
  { fault: '403', effect: 'permission denied (Anthropic permission_error; OpenAI/Azure 403)' },
  { fault: '404-model', effect: "the model (or Azure deployment) does not exist: the provider's real 404" },
  { fault: '429[:<ms>]', effect: 'rate limited, with retry-after (seconds, >= 1) and retry-after-ms (default 1000)' },
  { fault: '429-once[:<nonce>[:<ms>]]', effect: 'the first request with this nonce and question gets the 429, the next one succeeds' },
  { fault: 'quota', effect: 'out of credit: OpenAI/Azure 429 insufficient_quota; Anthropic 400 "credit balance is too low"' },
  { fault: '500', effect: 'internal server error (Anthropic api_error, OpenAI server_error)' },
  { fault: '529', effect: 'overloaded: Anthropic 529 overloaded_error, OpenAI/Azure 503' },
  { fault: 'error-mid-stream', effect: 'after half the output, Anthropic `event: error` overloaded_error / OpenAI `data: {"error":…}` (non-stream: 529 / 500)' },
  { fault: 'reset-mid-stream', effect: 'after half the output, the socket is destroyed (non-stream: destroyed before any answer)' },
  { fault: 'slow-first-byte:<ms>', effect: 'waits <ms> before the status line' },
  { fault: 'tps:<n>', effect: 'paces output at <n> chunks (tokens) per second; a non-stream answer takes as long' },
  { fault: 'content-filter', effect: 'Azure OpenAI-style paths only: 400 content_filter with innererror ResponsibleAIPolicyViolation' },
  { fault: 'content-filter-output', effect: 'OpenAI-style answers: 200 ending finish_reason "content_filter" after half the text (Azure adds filter results)' },
  { fault: 'hang', effect: 'accepts the request and never answers (until the client gives up)' },
];

export const DIRECTIVE_DOCS: ReadonlyArray<{ directive: string; effect: string }> = [
  { directive: '[[sim:no-tools]]', effect: 'answer in text even though tools are offered' },
  { directive: '[[sim:call:<tool>:<json>]]', effect: 'call <tool> with <json> as input; several = several steps, in order' },
  { directive: '[[sim:steps:<n>]]', effect: 'keep calling tools for <n> consecutive model calls (to hit an agent step limit)' },
  { directive: '[[sim:words:<n>]]', effect: 'make the text answer exactly <n> chunks long (long streams with tps:<n>)' },
];

/** The human-readable banner of `npm run sim`. */
export function describeSimulator(sim: Simulator): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(12)} ${value}`);
  lines.push('Mosaic provider simulator (Ctrl-C to stop)', '');
  lines.push('Anthropic');
  row('base URL', `${sim.anthropic.baseUrl}   (SDK baseURL; POST /v1/messages, GET /v1/models)`);
  row('API key', sim.anthropic.apiKey);
  row('models', ANTHROPIC_MODELS.map((m) => m.id).join(', '));
  lines.push('OpenAI');
  row('base URL', `${sim.openai.baseUrl}   (POST /chat/completions, GET /models)`);
  row('API key', sim.openai.apiKey);
  row('models', `${OPENAI_MODELS.map((m) => m.id).join(', ')}   (o1, o3-mini are reasoning models)`);
  lines.push('Azure AI Foundry');
  row('endpoint', `${sim.azure.endpoint}   (header api-key)`);
  row('API key', sim.azure.apiKey);
  for (const d of sim.azure.deployments) row('deployment', `${d.name}  (${d.apiStyle}, runs ${d.model})`);
  row('paths', '/openai/deployments/{d}/chat/completions?api-version=…, /openai/v1/chat/completions, /openai/v1/models,');
  row('', '/models/chat/completions?api-version=…, /anthropic/v1/messages');
  lines.push('', 'Faults — per request: `[[sim:<fault>]]` in the last user message, or header `x-sim-fault: <fault>[,<fault>]`;');
  lines.push('         per model: `<model or deployment>-sim-<fault>` (e.g. gpt-4o-sim-429); per key: the fault keys below.');
  for (const f of FAULT_DOCS) row(f.fault.padEnd(26), f.effect);
  lines.push('', 'Script — in the last user message (tools offered and no directive: the first tool is called once):');
  for (const d of DIRECTIVE_DOCS) row(d.directive.padEnd(26), d.effect);
  lines.push('', 'Fault keys (authenticate, then always fail this way):');
  for (const provider of ['anthropic', 'openai', 'azure'] as const) {
    for (const fault of PRINTED_KEY_FAULTS) row(`${provider} ${fault}`.padEnd(32), sim.faultKey(provider, fault));
  }
  lines.push('', 'Point Mosaic at it with MOSAIC_ALLOW_PRIVATE_UPSTREAMS=1 (http: and loopback are refused otherwise).');
  return lines.join('\n');
}
