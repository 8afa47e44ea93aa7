// `node bench/tools/provider-call-cost.ts [--calls N] [--words N]`: CPU per streaming model call and per
// relayed chunk, against the simulator in its own process, three ways: Mosaic's ProviderClient.stream
// (our wire codec, wire-client.ts), the AI SDK's doStream (@ai-sdk/anthropic through the same guarded
// fetch, what Mosaic used before), and the floor of the exchange done by hand (undici.request, SSE split
// by "\n\n", JSON.parse per event). This is the measurement behind issue 8's "if a library's own per-chunk
// cost dominates, measure it and decide with numbers". CPU is this process's user + sys (process.cpuUsage).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { anthropicLanguageModel } from '../../src/providers/anthropic/anthropic-client.ts';
import { convertToLanguageModelPrompt } from './language-model-prompt.ts';
import { createProviderClient } from '../../src/providers/create-provider-client.ts';
import { createGuardedFetch } from '../../src/providers/ssrf-guard.ts';
import { Secret } from '../../src/vault/secret.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const calls = arg('--calls', 2000);
const words = arg('--words', 100);

const child = spawn(process.execPath, ['bench/harness/sim-process.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const line: string = await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
const sim = JSON.parse(line) as { anthropic: { baseUrl: string; apiKey: string } };

const client = createProviderClient(
  { kind: 'anthropic', apiKey: new Secret(sim.anthropic.apiKey), baseUrl: sim.anthropic.baseUrl, azure: null } as never,
  { allowPrivateUpstreams: true, anthropicBaseUrl: null, openaiBaseUrl: null, maxRetries: 0 },
);

function requestFor(n: number) {
  return {
    model: 'claude-sonnet-4-5-20250929',
    system: 'You are a helpful analytics assistant.',
    messages: [{ role: 'user' as const, content: `[[sim:no-tools]] [[sim:words:${n}]] How did sales do last month?` }],
    maxOutputTokens: 1024,
  };
}

async function viaClient(n: number): Promise<number> {
  let chunks = 0;
  for await (const event of client.stream(requestFor(n) as never)) if (event.type === 'text-delta') chunks++;
  return chunks;
}

const guardedFetch = createGuardedFetch({ allowPrivate: true });

async function viaSdk(n: number): Promise<number> {
  const request = requestFor(n);
  const model = anthropicLanguageModel({ apiKey: sim.anthropic.apiKey, baseURL: `${sim.anthropic.baseUrl}/v1`, fetch: guardedFetch, modelId: request.model });
  const { stream } = await model.doStream({
    prompt: convertToLanguageModelPrompt(request.system, request.messages),
    toolChoice: { type: 'auto' },
    maxOutputTokens: request.maxOutputTokens,
    includeRawChunks: false,
  });
  const reader = stream.getReader();
  let chunks = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    if (next.value.type === 'text-delta' && next.value.delta !== '') chunks++;
  }
  return chunks;
}

async function byHand(n: number): Promise<number> {
  const body = JSON.stringify({
    model: 'claude-sonnet-4-5-20250929',
    max_tokens: 1024,
    system: 'You are a helpful analytics assistant.',
    messages: [{ role: 'user', content: [{ type: 'text', text: `[[sim:no-tools]] [[sim:words:${n}]] How did sales do last month?` }] }],
    stream: true,
  });
  const res = await request(`${sim.anthropic.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sim.anthropic.apiKey, 'anthropic-version': '2023-06-01' },
    body,
  });
  let chunks = 0;
  let buffer = '';
  res.body.setEncoding('utf8');
  for await (const piece of res.body) {
    buffer += piece as string;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.indexOf('data: ');
      if (data === -1) continue;
      const event = JSON.parse(block.slice(data + 6)) as { type: string; delta?: { type: string; text?: string } };
      if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta') chunks++;
    }
  }
  return chunks;
}

async function measure(name: string, fn: (n: number) => Promise<number>, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) await fn(n); // warm-up
  const before = process.cpuUsage();
  const t0 = performance.now();
  let chunks = 0;
  for (let i = 0; i < calls; i++) chunks += await fn(n);
  const cpu = process.cpuUsage(before);
  const ms = (cpu.user + cpu.system) / 1000;
  console.log(`${name.padEnd(28)} words=${String(n).padStart(3)}  CPU ${((ms / calls) * 1000).toFixed(0).padStart(5)} µs/call  (${((cpu.system / 1000 / calls) * 1000).toFixed(0)} sys)  wall ${((performance.now() - t0) / calls).toFixed(2)} ms/call  chunks/call ${(chunks / calls).toFixed(0)}`);
}

for (const n of [1, words]) {
  await measure('ProviderClient.stream (wire)', viaClient, n);
  await measure('AI SDK doStream', viaSdk, n);
  await measure('by hand (undici.request)', byHand, n);
}
child.kill();
process.exit(0);
