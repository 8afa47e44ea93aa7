// The one logger. Redaction is structural: any field with a secret-ish name is censored wherever it
// nests, and Secret values (src/vault/secret.ts) serialise to their redacted form on their own.
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'apiKey', 'api_key', 'password', 'token', 'authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key',
  'csrfToken', 'secret', 'masterKey', 'newPassword', 'ciphertext', 'wrappedKey',
];

export const redactPaths = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export interface LoggerOptions {
  format?: 'json' | 'pretty';
  level?: string;
  /** Where records go; tests pass a stream that captures them (e.g. for the canary scan). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.MOSAIC_LOG_LEVEL ?? 'info';
  const base = { redact: { paths: redactPaths, censor: '[redacted]' }, level };
  if (options.destination) return pino(base, options.destination);
  if (options.format === 'pretty') {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(base);
}
