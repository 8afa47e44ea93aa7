// API keys with the real providers' shapes, derived deterministically so that a key printed by
// `npm run sim` stays valid across restarts, and fault keys ("this key always answers 429").
import { createHash } from 'node:crypto';
import type { SimKeys, SimProviderName } from './sim-types.ts';

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** `length` deterministic characters of `alphabet`, derived from `seed`. */
function derive(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (let counter = 0; out.length < length; counter += 1) {
    const digest = createHash('sha256').update(`${seed}:${counter}`).digest();
    for (const byte of digest) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

// Anthropic inference keys: `sk-ant-api03-` + 93 characters + `AA` (108 in all).
function anthropicKey(seed: string, tag = ''): string {
  return `sk-ant-api03-${tag}${derive(seed, 93 - tag.length, URL_SAFE)}AA`;
}

// OpenAI project keys: `sk-proj-` + 74 + `T3BlbkFJ` + 74 (164 in all).
function openaiKey(seed: string, tag = ''): string {
  return `sk-proj-${tag}${derive(seed, 74 - tag.length, URL_SAFE)}T3BlbkFJ${derive(`${seed}:tail`, 74, URL_SAFE)}`;
}

// Azure resource keys: 32 hexadecimal characters (no room for a readable tag).
function azureKey(seed: string): string {
  return derive(seed, 32, '0123456789abcdef');
}

export function defaultSimKeys(): SimKeys {
  return {
    anthropic: anthropicKey('mosaic-sim:anthropic'),
    openai: openaiKey('mosaic-sim:openai'),
    azure: azureKey('mosaic-sim:azure'),
  };
}

/** The deterministic fault key of `provider` for `fault`; readable (`sk-ant-api03-sim-429-…`) where the shape allows. */
export function deriveFaultKey(provider: SimProviderName, fault: string): string {
  const seed = `mosaic-sim:${provider}:fault:${fault}`;
  const tag = `sim-${fault.replace(/[^A-Za-z0-9-]/g, '_')}-`;
  if (provider === 'anthropic') return anthropicKey(seed, tag.slice(0, 40));
  if (provider === 'openai') return openaiKey(seed, tag.slice(0, 40));
  return azureKey(seed);
}

/** Faults that get a fault key printed by `npm run sim` and recognised without registration. */
export const PRINTED_KEY_FAULTS: readonly string[] = [
  '403', '404-model', '429', 'quota', '500', '529', 'error-mid-stream', 'reset-mid-stream',
  'slow-first-byte:3000', 'tps:5', 'hang', 'content-filter', 'content-filter-output',
];

/** Valid keys and fault keys of one simulator: which key is valid, and which fault it carries. */
export class SimKeyring {
  readonly valid: SimKeys;
  readonly #faults: Record<SimProviderName, Map<string, string>>;

  constructor(valid: SimKeys, extra: Partial<Record<SimProviderName, Record<string, string>>> = {}) {
    this.valid = valid;
    this.#faults = { anthropic: new Map(), openai: new Map(), azure: new Map() };
    for (const provider of ['anthropic', 'openai', 'azure'] as const) {
      for (const fault of PRINTED_KEY_FAULTS) this.#faults[provider].set(deriveFaultKey(provider, fault), fault);
      for (const [key, fault] of Object.entries(extra[provider] ?? {})) this.#faults[provider].set(key, fault);
    }
  }

  /** 'valid' for the valid key, the fault for a fault key, null for anything else (a 401). */
  check(provider: SimProviderName, key: string | undefined): { fault: string | null } | null {
    if (key === undefined || key === '') return null;
    if (key === this.valid[provider]) return { fault: null };
    const fault = this.#faults[provider].get(key);
    return fault === undefined ? null : { fault };
  }

  /** A key that triggers `fault`, registered on the fly for faults that are not printed. */
  faultKey(provider: SimProviderName, fault: string): string {
    const key = deriveFaultKey(provider, fault);
    this.#faults[provider].set(key, fault);
    return key;
  }
}
