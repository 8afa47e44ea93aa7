// The one HTTP error shape: {"error": {"code", "message", ...extra}}. Throw an AppError from anywhere
// below a route; the app's error handler (server/app.ts) turns it into the response.

export interface AppErrorExtra {
  hint?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly extra: AppErrorExtra;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, extra: AppErrorExtra = {}, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }

  toBody(): { error: { code: string; message: string } & AppErrorExtra } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const unauthenticated = (message = 'Sign in first: no valid session or token was sent.') =>
  new AppError(401, 'unauthenticated', message);
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is wrong.');
export const csrfFailed = () =>
  new AppError(403, 'csrf_failed', 'This request needs the X-CSRF-Token header from /api/me or the login answer.');
export const forbidden = (message = 'Your role does not allow this.') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'record') => new AppError(404, 'not_found', `No such ${what}.`);
export const invalidRequest = (message: string, extra: AppErrorExtra = {}) =>
  new AppError(400, 'invalid_request', message, extra);
export const conflict = (message: string, code = 'conflict', extra: AppErrorExtra = {}) =>
  new AppError(409, code, message, extra);
export const unprocessable = (code: string, message: string, extra: AppErrorExtra = {}) =>
  new AppError(422, code, message, extra);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', `Too many attempts; try again in ${retryAfterSeconds} s.`, {}, {
    'retry-after': String(retryAfterSeconds),
  });
export const payloadTooLarge = () => new AppError(413, 'payload_too_large', 'The request body is larger than 1 MiB.');
