// The direct baselines replay exactly what Mosaic's adapter sent: one warm-up turn through Mosaic, then
// the simulator's record of that request (path, headers, body) becomes the direct request.
import { exchange, createSession, mosaicTurnRequest } from '../load/exchanges.ts';
import type { Target } from '../load/load-job.ts';
import type { BenchEnv } from './bench-env.ts';

export interface CapturedCall {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Sends one turn with `content` through Mosaic and returns the model call the simulator received. */
export async function captureModelCall(env: BenchEnv, content: string, stream: boolean): Promise<CapturedCall> {
  const sessionId = await createSession(env.mosaic.url, env.token);
  const req = mosaicTurnRequest({ kind: 'mosaic-turn', mosaicUrl: env.mosaic.url, token: env.token, content, turnsPerSession: 1, stream }, sessionId);
  const outcome = await exchange(req.url, req.headers, req.body, stream, 'text-delta', 'message-end');
  if (!outcome.ok) throw new Error(`warm-up turn through Mosaic failed: ${outcome.error}`);
  // The cheap flows (when on) call the fast model after the answer; take the orchestrator's call.
  const last = await env.sim.lastRequest();
  return last;
}

/** The captured call sent straight to the simulator, with the same key and headers. */
export function directTarget(env: BenchEnv, call: CapturedCall, stream: boolean): Target {
  return {
    kind: 'raw',
    url: `${env.sim.anthropic.baseUrl}${call.path}`,
    headers: pickHeaders(call.headers),
    body: JSON.stringify({ ...call.body, stream }),
    stream,
    firstTokenEvent: 'content_block_delta',
  };
}

/** The same call through Portkey's gateway, told to forward to the simulator. */
export function portkeyTarget(env: BenchEnv, portkeyUrl: string, call: CapturedCall, stream: boolean): Target {
  return {
    kind: 'raw',
    url: `${portkeyUrl}/v1/messages`,
    headers: {
      ...pickHeaders(call.headers),
      'x-portkey-provider': 'anthropic',
      'x-portkey-custom-host': `${env.sim.anthropic.baseUrl}/v1`,
    },
    body: JSON.stringify({ ...call.body, stream }),
    stream,
    firstTokenEvent: 'content_block_delta',
  };
}

function pickHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['x-api-key', 'anthropic-version', 'anthropic-beta']) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
