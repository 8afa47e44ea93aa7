// The one fetch wrapper: JSON in and out, same-origin cookies, the CSRF token on every write, and the
// contract's error shape turned into an ApiError.
import { ApiError, toApiError } from './api-error.ts';

let csrfToken: string | null = null;

/** Remembers the CSRF token from /api/me or the login answer; writes send it as X-CSRF-Token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a signed-in call answers 401 (the session expired): the app goes back to sign-in. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The headers every call carries; exported for the SSE reader. */
export function buildHeaders(method: string, hasBody: boolean, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ accept: 'application/json', ...extra });
  if (hasBody) headers.set('content-type', 'application/json');
  if (WRITE_METHODS.has(method) && csrfToken) headers.set('x-csrf-token', csrfToken);
  return headers;
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const hasBody = options.body !== undefined;
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: buildHeaders(method, hasBody, options.headers),
    body: hasBody ? JSON.stringify(options.body) : undefined,
    signal: options.signal,
  });
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && error.code === 'unauthenticated' && path !== '/api/me') onUnauthenticated?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'unexpected_response', 'The server sent something that is not JSON.');
  }
}

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
