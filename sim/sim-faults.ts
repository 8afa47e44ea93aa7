// Fault injection: which faults apply to a request (from its key, model, `x-sim-fault` header and
// `[[sim:<fault>]]` directives) and what they mean. The handlers turn the plan into wire behaviour.
import { isScriptDirective } from './sim-directives.ts';

/** Faults answered instead of the model's output. */
export type SimStatusFault = '401' | '403' | '404-model' | '429' | '429-once' | 'quota' | '500' | '529' | 'content-filter' | 'hang';
/** Faults that strike a stream (or a non-stream answer) after part of the output. */
export type SimMidStreamFault = 'error-mid-stream' | 'reset-mid-stream' | 'content-filter-output';

export interface SimFaultPlan {
  /** Every fault token that applied, as written. */
  applied: string[];
  status: SimStatusFault | null;
  /** For 429 and 429-once: what `retry-after-ms` says (`retry-after` is this in whole seconds, at least 1). */
  retryAfterMs: number;
  /** For 429-once: the nonce that, with the question, names "the first request" that fails. */
  onceNonce: string;
  midStream: SimMidStreamFault | null;
  slowFirstByteMs: number;
  /** Output chunks per second; null = as fast as possible. */
  tokensPerSecond: number | null;
}

const STATUS_FAULTS: readonly string[] = ['401', '403', '404-model', '429', '429-once', 'quota', '500', '529', 'content-filter', 'hang'];
const MID_STREAM_FAULTS: readonly string[] = ['error-mid-stream', 'reset-mid-stream', 'content-filter-output'];
export const DEFAULT_RETRY_AFTER_MS = 1000;

export function emptyFaultPlan(): SimFaultPlan {
  return { applied: [], status: null, retryAfterMs: DEFAULT_RETRY_AFTER_MS, onceNonce: '', midStream: null, slowFirstByteMs: 0, tokensPerSecond: null };
}

/** Splits an `x-sim-fault` header value (comma-separated) into fault tokens. */
export function headerFaults(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * Builds the plan from fault tokens in precedence order (header, directives, key, model); the first
 * status fault wins, later pacing values override earlier ones. Script directives are skipped.
 */
export function planFaults(tokens: string[]): { ok: true; plan: SimFaultPlan } | { ok: false; message: string } {
  const plan = emptyFaultPlan();
  for (const token of tokens) {
    if (isScriptDirective(token)) continue;
    const error = applyFault(plan, token);
    if (error !== null) return { ok: false, message: error };
    plan.applied.push(token);
  }
  return { ok: true, plan };
}

function applyFault(plan: SimFaultPlan, token: string): string | null {
  const [name = '', ...args] = token.split(':');
  const bad = `simulator: unknown or ill-formed fault '${token}' (see sim/README.md)`;
  if (name === 'slow-first-byte' || name === 'tps') {
    const n = Number(args[0]);
    if (args.length !== 1 || !Number.isFinite(n) || n <= 0) return bad;
    if (name === 'tps') plan.tokensPerSecond = n;
    else plan.slowFirstByteMs = n;
    return null;
  }
  if (MID_STREAM_FAULTS.includes(name)) {
    if (args.length > 0) return bad;
    plan.midStream ??= name as SimMidStreamFault;
    return null;
  }
  if (!STATUS_FAULTS.includes(name)) return bad;
  // 429:<ms> sets retry-after-ms; 429-once:<nonce>[:<ms>] names the request that fails once.
  const msArg = name === '429' ? args[0] : name === '429-once' ? args[1] : undefined;
  const allowedArgs = name === '429' ? 1 : name === '429-once' ? 2 : 0;
  if (args.length > allowedArgs) return bad;
  if (msArg !== undefined && !(Number(msArg) >= 0)) return bad;
  if (plan.status !== null) return null;
  plan.status = name as SimStatusFault;
  if (msArg !== undefined) plan.retryAfterMs = Number(msArg);
  if (name === '429-once') plan.onceNonce = args[0] ?? '';
  return null;
}

/** `retry-after` (whole seconds, at least 1, as the providers send) and `retry-after-ms`. */
export function retryAfterHeaders(plan: SimFaultPlan): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil(plan.retryAfterMs / 1000))),
    'retry-after-ms': String(plan.retryAfterMs),
  };
}
