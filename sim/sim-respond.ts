// The steps every simulated chat endpoint shares: gather the faults that apply, wait for a slow first
// byte, and deliver the answer (stream or not) with pacing and mid-stream faults.
import type { SimExchange } from './sim-http.ts';
import { header, pause, resetConnection, sendJson } from './sim-http.ts';
import type { SimFaultPlan } from './sim-faults.ts';
import { headerFaults, planFaults } from './sim-faults.ts';
import type { SimKeyring } from './sim-keys.ts';
import type { SimSseEvent } from './sim-sse.ts';
import { midPoint, writeSse } from './sim-sse.ts';

/** State shared by the three simulated providers of one simulator. */
export interface SimState {
  keyring: SimKeyring;
  /** 429-once requests that already failed (their next try succeeds). */
  onceFailed: Set<string>;
}

/**
 * The fault plan for a request, in precedence order: `x-sim-fault` header, `[[sim:…]]` directives,
 * fault key, model suffix. An ill-formed fault yields the message for a 400.
 */
export function gatherFaults(
  ex: SimExchange,
  sources: { directives: string[]; keyFault: string | null; modelFault: string | null },
): { ok: true; plan: SimFaultPlan } | { ok: false; message: string } {
  const tokens = [
    ...headerFaults(ex.req.headers['x-sim-fault']),
    ...sources.directives,
    ...(sources.keyFault === null ? [] : [sources.keyFault]),
    ...(sources.modelFault === null ? [] : [sources.modelFault]),
  ];
  const result = planFaults(tokens);
  if (result.ok) ex.entry.faults = result.plan.applied;
  return result;
}

/** For 429-once: true the first time this (provider, nonce, question) is seen, false after. */
export function failsOnce(state: SimState, provider: string, plan: SimFaultPlan, question: string): boolean {
  const key = `${provider}\u0000${plan.onceNonce}\u0000${question}`;
  if (state.onceFailed.has(key)) return false;
  state.onceFailed.add(key);
  return true;
}

export async function slowFirstByte(ex: SimExchange, plan: SimFaultPlan): Promise<boolean> {
  return pause(ex, plan.slowFirstByteMs);
}

export function wantsStream(body: Record<string, unknown>): boolean {
  return body.stream === true;
}

export interface SimAnswer {
  stream: boolean;
  headers: Record<string, string>;
  /** The SSE events (stream) — built lazily so a non-stream answer never builds them. */
  events: () => SimSseEvent[];
  /** The JSON body (non-stream). */
  body: () => unknown;
  /** Output chunks, for pacing a non-stream answer. */
  outputs: number;
  /** What an `error-mid-stream` fault sends inside a stream. */
  streamError: SimSseEvent;
  /** What an `error-mid-stream` fault answers when there is no stream to break. */
  nonStreamError: () => void;
}

export async function deliverAnswer(ex: SimExchange, plan: SimFaultPlan, answer: SimAnswer): Promise<void> {
  const fault = plan.midStream;
  if (answer.stream) {
    const events = answer.events();
    const cut =
      fault === 'error-mid-stream'
        ? { afterOutputs: midPoint(events), errorEvent: answer.streamError }
        : fault === 'reset-mid-stream'
          ? { afterOutputs: midPoint(events), errorEvent: null }
          : null;
    await writeSse(ex, answer.headers, events, { tokensPerSecond: plan.tokensPerSecond, cut });
    return;
  }
  // A non-stream answer takes as long as its stream would have.
  const gapMs = plan.tokensPerSecond === null ? 0 : 1000 / plan.tokensPerSecond;
  const cutShort = fault === 'error-mid-stream' || fault === 'reset-mid-stream';
  if (!(await pause(ex, gapMs * (cutShort ? Math.ceil(answer.outputs / 2) : answer.outputs)))) return;
  if (fault === 'error-mid-stream') return answer.nonStreamError();
  if (fault === 'reset-mid-stream') return resetConnection(ex);
  sendJson(ex, 200, answer.body(), answer.headers);
}

/** The API key a request carries in `name` (`authorization: Bearer …` when name is 'authorization'). */
export function presentedKey(ex: SimExchange, name: string): string | undefined {
  const value = header(ex, name);
  if (name !== 'authorization' || value === undefined) return value;
  const match = /^Bearer\s+(.+)$/i.exec(value);
  return match ? match[1] : '';
}
