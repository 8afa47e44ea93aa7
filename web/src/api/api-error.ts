// The one error a call can fail with: the contract's `{error:{code, message, hint?}}`, plus the status.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | null;
  /** Seconds to wait, from `retry-after` (429). */
  readonly retryAfter: number | null;
  /** Everything else the server put in `error` (e.g. field details). */
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, hint: string | null = null, retryAfter: number | null = null, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** Turns any response that is not ok into an ApiError, whether or not its body is the contract's shape. */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get('retry-after');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall through to a generic message.
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, hint, ...details } = error;
    return new ApiError(
      response.status,
      code,
      typeof message === 'string' ? message : `Request failed (${response.status}).`,
      typeof hint === 'string' ? hint : null,
      retryAfter,
      details,
    );
  }
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status} ${response.statusText}.`.trim(), null, retryAfter);
}

/** An error from anything (network failure included) as an ApiError, for uniform display. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && error.name === 'AbortError') return new ApiError(0, 'aborted', 'Stopped.');
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'network_error', `Could not reach Mosaic: ${message}`, 'Check your connection and try again.');
}
