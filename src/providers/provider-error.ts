// The one error every provider failure becomes: a contract code, one sentence for an admin, one sentence
// saying what to do, and the provider's own status and request id for a support ticket.
import type { ProviderErrorCode } from './provider.ts';

/** What an admin can do about each code; a mapper may give a more precise hint. */
export const PROVIDER_ERROR_HINTS: Readonly<Record<ProviderErrorCode, string>> = {
  invalid_api_key: "Check that the key was copied in full and is not revoked, or create a new key in the provider's console.",
  permission_denied: "Give the key's project or organisation access to this model (and region), or use a key that has it.",
  admin_key_rejected: "This is an admin key: create an inference-only API key in the provider's console and use that instead.",
  key_format_mismatch: 'Choose the provider this key belongs to, or paste a key made for the selected provider.',
  model_not_found: 'Check the model name (for Azure, the deployment name) and that this key may use it.',
  rate_limited: "Wait a moment and try again, or raise the provider account's rate limits.",
  quota_exceeded: "Add credit or raise the spending limit in the provider's billing settings.",
  provider_overloaded: 'The provider is temporarily overloaded: try again in a few minutes.',
  provider_error: "Try again; if it keeps failing, check the provider's status page.",
  content_filtered: "Rephrase the request, or review the deployment's content filter settings in Azure AI Foundry.",
  timeout: 'Try again; if it keeps happening, check the base URL and the network between Mosaic and the provider.',
  unreachable: "Check the base URL or endpoint, and that Mosaic's server can reach it (DNS, firewall, proxy).",
  upstream_not_allowed:
    'Use a public https address, or ask the operator to set MOSAIC_ALLOW_PRIVATE_UPSTREAMS=1 for a private gateway.',
  bad_endpoint: 'Use the endpoint from the Azure portal, like https://{resource}.openai.azure.com or https://{resource}.services.ai.azure.com.',
  unexpected_response: "The address answered, but not like the provider's API: check the base URL.",
  invalid_request: 'Check the model and its settings; if this keeps happening, report it with the request id.',
};

export interface ProviderErrorInit {
  code: ProviderErrorCode;
  message: string;
  hint?: string;
  status?: number | null;
  requestId?: string | null;
  retryable?: boolean;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly code: ProviderErrorCode;
  readonly hint: string;
  /** The provider's HTTP status, or null when no answer came (network, timeout, refused before sending). */
  readonly status: number | null;
  readonly requestId: string | null;
  readonly retryable: boolean;
  /** What the provider asked us to wait (retry-after-ms / retry-after), when it said. */
  readonly retryAfterMs: number | null;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.hint = init.hint ?? PROVIDER_ERROR_HINTS[init.code];
    this.status = init.status ?? null;
    this.requestId = init.requestId ?? null;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** The contract's `{code, message, hint}`. */
  toJSON(): { code: ProviderErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return value instanceof ProviderError;
}

const REDACTED_KEY = '[redacted key]';
// Key-shaped tokens: OpenAI / Anthropic style keys, whole or masked ("sk-proj-****abcd", "sk-ant-…").
const KEY_SHAPED = /\bsk-[A-Za-z0-9_\-*…]{3,}/g;
// A masked echo of any other key shape: a token with a run of asterisks inside it.
const MASKED_TOKEN = /[A-Za-z0-9_\-]*\*{3,}[A-Za-z0-9_\-]*/g;
const REPEATED = /\[redacted key\](?:\s*\[redacted key\])+/g;
const MIN_FRAGMENT = 6;

/** Removes any echo of the key (whole, masked, or a prefix/suffix fragment) from a provider's message. */
export function redactKeyEcho(text: string, apiKey: string | null | undefined): string {
  let out = text.replace(KEY_SHAPED, REDACTED_KEY).replace(MASKED_TOKEN, REDACTED_KEY);
  if (apiKey && apiKey.length >= MIN_FRAGMENT) {
    out = out.split(apiKey).join(REDACTED_KEY);
    // Longest fragments first, so a long prefix is not left half-redacted by a shorter one.
    for (let n = apiKey.length - 1; n >= MIN_FRAGMENT; n--) {
      const prefix = apiKey.slice(0, n);
      const suffix = apiKey.slice(apiKey.length - n);
      if (out.includes(prefix)) out = out.split(prefix).join(REDACTED_KEY);
      if (out.includes(suffix)) out = out.split(suffix).join(REDACTED_KEY);
    }
  }
  return out.replace(REPEATED, REDACTED_KEY);
}
