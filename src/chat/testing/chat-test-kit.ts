// Shared by the chat tests: the app on a real socket, the simulator, a tenant with a provider per kind,
// and an SSE reader for the message endpoint.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../../sim/simulator.ts';
import { closeConfigCache } from '../../ai-config/config-cache.ts';
import type { DbKind } from '../../db/database.ts';
import { seedTenant, signIn, type SeededTenant, type SignedIn } from '../../testing/factories.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

export type ProviderCaseName = 'anthropic' | 'openai' | 'azure-openai' | 'azure-anthropic';

export interface ProviderCase {
  name: ProviderCaseName;
  kind: 'anthropic' | 'openai' | 'azure';
  simProvider: 'anthropic' | 'openai' | 'azure';
  orchestrator: string;
  fast: string;
  draft(sim: Simulator, apiKey?: string): Record<string, unknown>;
}

const azureDraft = (apiStyle: 'openai' | 'anthropic') => (sim: Simulator, apiKey = sim.azure.apiKey) => ({
  kind: 'azure',
  apiKey,
  azure: {
    endpoint: sim.azure.endpoint,
    apiStyle,
    apiVersion: null,
    modelOf: Object.fromEntries(sim.azure.deployments.filter((d) => d.apiStyle === apiStyle).map((d) => [d.name, d.model])),
  },
});

export const PROVIDER_CASES: readonly ProviderCase[] = [
  {
    name: 'anthropic',
    kind: 'anthropic',
    simProvider: 'anthropic',
    orchestrator: 'claude-sonnet-4-5-20250929',
    fast: 'claude-haiku-4-5-20251001',
    draft: (sim, apiKey = sim.anthropic.apiKey) => ({ kind: 'anthropic', apiKey, baseUrl: sim.anthropic.baseUrl }),
  },
  {
    name: 'openai',
    kind: 'openai',
    simProvider: 'openai',
    orchestrator: 'gpt-4o',
    fast: 'gpt-4o-mini',
    draft: (sim, apiKey = sim.openai.apiKey) => ({ kind: 'openai', apiKey, baseUrl: sim.openai.baseUrl }),
  },
  { name: 'azure-openai', kind: 'azure', simProvider: 'azure', orchestrator: 'gpt-4o-prod', fast: 'gpt-4o-mini-fast', draft: azureDraft('openai') },
  { name: 'azure-anthropic', kind: 'azure', simProvider: 'azure', orchestrator: 'claude-sonnet', fast: 'claude-haiku', draft: azureDraft('anthropic') },
];

export const providerCase = (name: ProviderCaseName): ProviderCase => PROVIDER_CASES.find((c) => c.name === name)!;

export interface ChatKit {
  t: TestApp;
  sim: Simulator;
  baseUrl: string;
  seeded: SeededTenant;
  admin: SignedIn;
  close(): Promise<void>;
}

export async function startChatKit(kind: DbKind = 'sqlite', options: { env?: Record<string, string>; sim?: Simulator } = {}): Promise<ChatKit> {
  const sim = options.sim ?? (await startSimulator());
  const t = await createTestApp(kind, { env: { MOSAIC_CHAT_LEASE_SECONDS: '3', ...options.env } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as AddressInfo).port;
  const seeded = await seedTenant(t.ctx);
  const admin = await signIn(t.app, seeded.admin.email, seeded.admin.password);
  return {
    t,
    sim,
    baseUrl: `http://127.0.0.1:${port}`,
    seeded,
    admin,
    async close() {
      await t.close();
      await closeConfigCache(t.ctx);
      if (!options.sim) await sim.close();
    },
  };
}

/** Adds a provider through the AI Configuration API (tested against the simulator); returns its id. */
export async function addProvider(kit: ChatKit, c: ProviderCase, options: { activate?: boolean; apiKey?: string } = {}): Promise<string> {
  const res = await kit.t.app.inject({
    method: 'POST',
    url: '/api/admin/ai/providers',
    headers: kit.admin.headers,
    payload: { ...c.draft(kit.sim, options.apiKey), label: c.name, models: { orchestrator: c.orchestrator, fast: c.fast }, ...(options.activate ? { activate: true } : {}) },
  });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { provider: { id: string } }).provider.id;
}

export async function api(kit: ChatKit, method: string, url: string, body?: unknown, who: SignedIn = kit.admin): Promise<{ status: number; json: any }> {
  const res = await fetch(`${kit.baseUrl}${url}`, {
    method,
    headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text) };
}

export async function createChatSession(kit: ChatKit, who: SignedIn = kit.admin): Promise<string> {
  const res = await api(kit, 'POST', '/api/chat/sessions', {}, who);
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json.session.id as string;
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Parses an SSE body as it arrives. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      yield { event, data: JSON.parse(data.join('\n')) };
    }
  }
}

/** Opens the message stream (Accept: text/event-stream). */
export async function postMessageStream(kit: ChatKit, sessionId: string, content: string, options: { who?: SignedIn; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${kit.baseUrl}/api/chat/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { ...(options.who ?? kit.admin).headers, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ content }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Sends a message and collects every SSE event until the server closes the stream. */
export async function sendMessage(kit: ChatKit, sessionId: string, content: string, who?: SignedIn): Promise<{ status: number; events: SseEvent[]; json: any; contentType: string | null }> {
  const res = await postMessageStream(kit, sessionId, content, who ? { who } : {});
  const contentType = res.headers.get('content-type');
  if (!contentType?.startsWith('text/event-stream')) return { status: res.status, events: [], json: await res.json(), contentType };
  const events: SseEvent[] = [];
  for await (const event of readSse(res.body!)) events.push(event);
  return { status: res.status, events, json: null, contentType };
}

export const eventNames = (events: SseEvent[]): string[] => events.map((e) => e.event);

/** The event names with consecutive text-deltas collapsed: the shape of a stream. */
export function streamShape(events: SseEvent[]): string[] {
  const out: string[] = [];
  for (const name of eventNames(events)) if (!(name === 'text-delta' && out[out.length - 1] === 'text-delta')) out.push(name);
  return out;
}

export async function getSession(kit: ChatKit, sessionId: string, who?: SignedIn) {
  return api(kit, 'GET', `/api/chat/sessions/${sessionId}`, undefined, who);
}
