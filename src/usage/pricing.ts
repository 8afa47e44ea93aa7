// Pure money arithmetic for model calls, in integer micro-dollars. A price of P USD per million tokens
// is exactly P micro-dollars per token; BigInt keeps the product exact (no 0.15 × 1000 = 150.00000000000003),
// and every result is rounded UP, so the ledger never undercounts a call.

export interface TokenPrice {
  inputPerMTokUsd: number;
  outputPerMTokUsd: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * Tokens a provider may bill beyond the bytes we send: Anthropic adds a tool-use system prompt (a few
 * hundred tokens) and both providers add per-message framing tokens. Added to every worst case.
 */
export const PROVIDER_HIDDEN_INPUT_TOKENS = 1024;

const PICO_PER_MICRO = 1_000_000n;

/** The cost of a call's real usage, in micro-dollars, rounded up. */
export function costMicros(usage: TokenUsage, price: TokenPrice): number {
  const pico =
    BigInt(wholeTokens(usage.inputTokens)) * picoPerToken(price.inputPerMTokUsd) +
    BigInt(wholeTokens(usage.outputTokens)) * picoPerToken(price.outputPerMTokUsd);
  return Number((pico + PICO_PER_MICRO - 1n) / PICO_PER_MICRO);
}

export interface WorstCaseInput {
  /** UTF-8 byte length of everything sent as input (system, messages, tools). */
  inputUtf8Bytes: number;
  maxOutputTokens: number;
}

/**
 * The most a call can cost: no tokenizer yields more tokens than the text has UTF-8 bytes (every
 * byte-level BPE token covers at least one byte), plus the provider's hidden prompt tokens, plus the
 * call's output limit.
 */
export function worstCaseMicros(request: WorstCaseInput, price: TokenPrice): number {
  return costMicros(
    { inputTokens: request.inputUtf8Bytes + PROVIDER_HIDDEN_INPUT_TOKENS, outputTokens: request.maxOutputTokens },
    price,
  );
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
/** USD → micro-dollars, rounded to the nearest micro-dollar (a budget is stated in whole cents anyway). */
export const usdToMicros = (usd: number): number => Math.round(usd * 1_000_000);

// USD per million tokens → pico-dollars per token (1e-12 USD), exact for any price with ≤ 6 decimals.
function picoPerToken(usdPerMTok: number): bigint {
  if (!Number.isFinite(usdPerMTok) || usdPerMTok < 0) throw new RangeError(`Invalid token price: ${usdPerMTok}`);
  return BigInt(Math.round(usdPerMTok * 1_000_000));
}

function wholeTokens(count: number): number {
  if (!Number.isFinite(count) || count < 0) return 0;
  return Math.ceil(count);
}
