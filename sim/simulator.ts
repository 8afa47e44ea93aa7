// The provider simulator: three loopback HTTP servers (Anthropic, OpenAI and Azure each on its own
// port, since Anthropic and OpenAI both serve /v1/models) that the providers' official clients cannot
// tell from the real services. See sim/README.md for what it answers and how to trigger each fault.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../src/clock.ts';
import { AZURE_DEPLOYMENTS } from './sim-catalog.ts';
import type { SimExchange } from './sim-http.ts';
import { SimKeyring, defaultSimKeys } from './sim-keys.ts';
import type { SimLoggedRequest, SimRequestOutcome } from './sim-request-log.ts';
import { SimRequestLog } from './sim-request-log.ts';
import type { SimState } from './sim-respond.ts';
import type { SimProviderName, Simulator, SimulatorOptions } from './sim-types.ts';
import { serveAnthropic } from './sim-anthropic.ts';
import { serveAzure } from './sim-azure.ts';
import { serveOpenAI } from './sim-openai.ts';

export type { SimKeys, Simulator, SimulatorOptions, SimAzureDeployment, SimProviderName } from './sim-types.ts';
export type { SimLoggedRequest, SimRequestOutcome } from './sim-request-log.ts';
export { SimRequestLog } from './sim-request-log.ts';

type Serve = (ex: SimExchange, state: SimState) => Promise<void>;

const SERVE: Record<SimProviderName, Serve> = { anthropic: serveAnthropic, openai: serveOpenAI, azure: serveAzure };

/** Starts the three simulated providers; close() stops them and cuts every open connection. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const keyring = new SimKeyring({ ...defaultSimKeys(), ...options.keys }, options.faultKeys);
  const state: SimState = { keyring, onceFailed: new Set() };
  const requests = new SimRequestLog();
  const closing = { value: false };

  const servers: Partial<Record<SimProviderName, http.Server>> = {};
  const ports: Record<SimProviderName, number | undefined> = { anthropic: options.anthropicPort, openai: options.openaiPort, azure: options.azurePort };
  const close = async (): Promise<void> => {
    closing.value = true;
    await Promise.all(
      Object.values(servers).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  try {
    for (const provider of ['anthropic', 'openai', 'azure'] as const) {
      const server = http.createServer((req, res) => void handle(provider, req, res, { state, requests, clock, closing }));
      servers[provider] = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(ports[provider] ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
  } catch (error) {
    await close();
    throw error;
  }

  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const origin = (provider: SimProviderName) => {
    const port = ((servers[provider] as http.Server).address() as AddressInfo).port;
    return `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`;
  };
  return {
    anthropic: { baseUrl: origin('anthropic'), apiKey: keyring.valid.anthropic },
    openai: { baseUrl: `${origin('openai')}/v1`, apiKey: keyring.valid.openai },
    azure: { endpoint: origin('azure'), apiKey: keyring.valid.azure, deployments: AZURE_DEPLOYMENTS.map((d) => ({ ...d })) },
    requests,
    faultKey: (provider, fault) => keyring.faultKey(provider, fault),
    close,
  };
}

interface HandleContext {
  state: SimState;
  requests: SimRequestLog;
  clock: SimExchange['clock'];
  closing: { value: boolean };
}

async function handle(provider: SimProviderName, req: http.IncomingMessage, res: http.ServerResponse, ctx: HandleContext): Promise<void> {
  const controller = new AbortController();
  const url = new URL(req.url ?? '/', 'http://simulator');
  let settle: (outcome: SimRequestOutcome) => void = () => {};
  const entry: SimLoggedRequest = {
    provider,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
    body: undefined,
    receivedAt: new Date(),
    status: null,
    faults: [],
    outcome: 'open',
    closedAt: null,
    done: new Promise((resolve) => (settle = resolve)),
  };
  res.on('close', () => {
    if (entry.outcome === 'open') entry.outcome = res.writableFinished ? 'completed' : ctx.closing.value ? 'closed-by-sim' : 'aborted-by-client';
    entry.closedAt = new Date();
    controller.abort();
    settle(entry.outcome);
  });

  let raw = '';
  try {
    req.setEncoding('utf8');
    for await (const chunk of req) raw += chunk;
  } catch {
    return; // the client went away while sending
  }
  let body: unknown;
  let bodyInvalid = false;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
      bodyInvalid = true;
    }
  }
  entry.body = body;
  ctx.requests.add(entry);
  const ex: SimExchange = { req, res, url, body, bodyInvalid, entry, signal: controller.signal, clock: ctx.clock };
  try {
    await SERVE[provider](ex, ctx.state);
  } catch (error) {
    // A simulator bug must be loud in the tests that meet it, not a hung client.
    console.error('simulator: handler failed', error);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator bug: ${String(error)}`);
    } else {
      res.destroy();
    }
  }
}
