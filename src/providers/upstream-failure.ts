// Whatever went wrong on a provider call, as one plain record: the provider's status, its error type and
// code, its message and request id. Each provider's mapper (anthropic-error.ts, openai-error.ts,
// azure-error.ts) turns this record into a contract code; network, timeout and parsing failures are
// judged here, the same for every provider.
import { APICallError } from 'ai';
import { ProviderError, redactKeyEcho } from './provider-error.ts';
import { isRetryableCode, isRetryableStatus, parseRetryAfterMs } from './retry.ts';
import type { ProviderErrorCode } from './provider.ts';
import { StreamedFailure } from './wire-decoder.ts';

export interface UpstreamFailure {
  /** HTTP status, or the status a mid-stream error event stands for; null when unknown. */
  status: number | null;
  /** The provider's error type (`rate_limit_error`, `insufficient_quota`, …). */
  type: string | null;
  /** The provider's error code (`insufficient_quota`, `DeploymentNotFound`, `content_filter`, …). */
  code: string | null;
  message: string | null;
  requestId: string | null;
  headers: Record<string, string>;
  /** False when the body was not the provider's error shape (an HTML page from a proxy, say). */
  shaped: boolean;
}

/** The pieces a provider mapper decides; the rest (retry, redaction, request id) is common. */
export interface MappedFailure {
  code: ProviderErrorCode;
  message: string;
  hint?: string;
}

export type FailureMapper = (failure: UpstreamFailure) => MappedFailure;

const REQUEST_ID_HEADERS = ['request-id', 'x-request-id', 'apim-request-id', 'x-ms-request-id'];

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function str(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** Reads an error body of either shape: Anthropic `{type:"error",error:{type,message},request_id}` or
 * OpenAI/Azure `{error:{message,type,param,code}}`. */
export function parseUpstreamFailure(status: number | null, body: unknown, headers?: Record<string, string>): UpstreamFailure {
  const lower = lowerCaseHeaders(headers);
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
  }
  const outer = record(parsed);
  const inner = record(outer?.error);
  const headerRequestId = REQUEST_ID_HEADERS.map((h) => lower[h]).find((v) => v !== undefined && v !== '') ?? null;
  return {
    status,
    type: str(inner?.type),
    code: str(inner?.code),
    message: str(inner?.message) ?? str(outer?.message),
    requestId: headerRequestId ?? str(outer?.request_id),
    headers: lower,
    shaped: inner !== null && (str(inner.message) !== null || str(inner.type) !== null || str(inner.code) !== null),
  };
}

/** One sentence quoting the provider, key echoes removed, bounded in length. */
export function quoteProvider(provider: string, failure: UpstreamFailure, apiKey: string): string {
  // The code says more than the type (invalid_api_key vs invalid_request_error), unless it is the status again.
  const code = failure.code !== null && failure.code !== String(failure.status) ? failure.code : null;
  const what = [failure.status, code ?? failure.type].filter((x) => x !== null).join(' ');
  const said = failure.message === null ? '' : `: ${redactKeyEcho(failure.message, apiKey).trim()}`;
  const sentence = `${provider} answered${what === '' ? ' with an error' : ` ${what}`}${said}`.slice(0, 400);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  for (let i = 0; i < 8 && current !== undefined && current !== null; i++) {
    out.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TLS_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL_)/;

function networkError(error: unknown, provider: string): ProviderError | null {
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (UNREACHABLE_CODES.has(code)) {
      const reason = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'its host name does not resolve' : 'the connection was refused';
      return new ProviderError({ code: 'unreachable', message: `Mosaic could not reach ${provider}: ${reason} (${code}).`, retryable: true, cause: error });
    }
    if (TIMEOUT_CODES.has(code)) {
      return new ProviderError({ code: 'timeout', message: `${provider} did not answer in time (${code}).`, retryable: code === 'UND_ERR_CONNECT_TIMEOUT', cause: error });
    }
    if (CUT_CODES.has(code)) {
      return new ProviderError({ code: 'provider_error', message: `The connection to ${provider} was cut (${code}).`, retryable: true, cause: error });
    }
    if (TLS_CODE.test(code)) {
      return new ProviderError({ code: 'unreachable', message: `Mosaic could not make a secure connection to ${provider} (${code}).`, hint: 'Check that the base URL or endpoint serves a valid TLS certificate.', cause: error });
    }
  }
  return null;
}

function streamErrorFailure(error: unknown): UpstreamFailure | null {
  const e = record(error);
  if (e === null || typeof e.message !== 'string') return null;
  if (!('statusCode' in e) && !('type' in e) && !('code' in e)) return null;
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  return { status, type: str(e.type), code: str(e.code), message: e.message, requestId: null, headers: {}, shaped: true };
}

export interface ToProviderErrorOptions {
  provider: string;
  apiKey: string;
  map: FailureMapper;
}

/** Turns anything a provider call threw (or streamed as an error part) into a ProviderError. */
export function toProviderError(error: unknown, options: ToProviderErrorOptions): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof StreamedFailure) return fromFailure(error.failure, options);
  const chain = causes(error);
  const inner = chain.find((e) => e instanceof ProviderError);
  if (inner instanceof ProviderError) return inner;

  const apiCall = chain.find((e) => APICallError.isInstance(e));
  // A 2xx APICallError is a good answer whose reading failed (a cut connection): judged below.
  if (apiCall !== undefined && APICallError.isInstance(apiCall) && apiCall.statusCode !== undefined && apiCall.statusCode >= 300) {
    const failure = parseUpstreamFailure(apiCall.statusCode, apiCall.responseBody, apiCall.responseHeaders);
    return fromFailure(failure, options);
  }
  const network = networkError(error, options.provider);
  if (network !== null) return network;

  const streamed = (error as { name?: unknown })?.name === 'AI_StreamProviderError' || !(error instanceof Error) ? streamErrorFailure(error) : null;
  if (streamed !== null) return fromFailure(streamed, options);

  const name = (error as { name?: unknown })?.name;
  return new ProviderError({
    code: 'unexpected_response',
    message: `${options.provider} answered in a way Mosaic could not read${typeof name === 'string' ? ` (${name})` : ''}.`,
    cause: error,
  });
}

/** Applies a provider's mapper to a parsed failure, adding the common parts. */
export function fromFailure(failure: UpstreamFailure, options: ToProviderErrorOptions): ProviderError {
  const mapped = options.map(failure);
  const statusSaysRetry = failure.status === null ? false : isRetryableStatus(failure.status, failure.headers);
  return new ProviderError({
    code: mapped.code,
    message: redactKeyEcho(mapped.message, options.apiKey),
    ...(mapped.hint === undefined ? {} : { hint: mapped.hint }),
    status: failure.status,
    requestId: failure.requestId,
    retryable: isRetryableCode(mapped.code, statusSaysRetry),
    retryAfterMs: parseRetryAfterMs(failure.headers),
  });
}
