// Environment → typed, validated configuration, read in this one place (contract.md, "Environment").
import path from 'node:path';
import { z } from 'zod';

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  trustProxy: boolean;
  dataDir: string;
  databaseUrl: string | null;
  /** Raw keyring text from MOSAIC_MASTER_KEY; null means "use the key file in dataDir". */
  masterKeyEnv: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  tenantName: string;
  allowPrivateUpstreams: boolean;
  sessionIdleMinutes: number;
  /** MOSAIC_CHAT_LEASE_SECONDS: how long a chat answer's session_busy lease lasts unrenewed (default 15). */
  chatLeaseSeconds: number;
  /** MOSAIC_CHEAP_FLOWS: `0` turns off the chat's title and suggestion calls (benchmarks); default on. */
  cheapFlows: boolean;
  anthropicBaseUrl: string | null;
  openaiBaseUrl: string | null;
  logFormat: 'json' | 'pretty';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const portSchema = z.coerce.number().int().min(0).max(65535);

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** Reads the environment; throws ConfigError naming the variable and the fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const host = nonEmpty(env.MOSAIC_HOST) ?? '127.0.0.1';
  const portParsed = portSchema.safeParse(nonEmpty(env.MOSAIC_PORT) ?? '8080');
  if (!portParsed.success) throw new ConfigError('MOSAIC_PORT must be a whole number from 0 to 65535.');
  const port = portParsed.data;

  const idleRaw = nonEmpty(env.MOSAIC_SESSION_IDLE_MINUTES) ?? '30';
  const idle = Number(idleRaw);
  if (!Number.isFinite(idle) || idle <= 0) {
    throw new ConfigError('MOSAIC_SESSION_IDLE_MINUTES must be a positive number of minutes (fractions allowed).');
  }

  const leaseRaw = nonEmpty(env.MOSAIC_CHAT_LEASE_SECONDS) ?? '15';
  const chatLeaseSeconds = Number(leaseRaw);
  if (!Number.isFinite(chatLeaseSeconds) || chatLeaseSeconds <= 0) {
    throw new ConfigError('MOSAIC_CHAT_LEASE_SECONDS must be a positive number of seconds (fractions allowed).');
  }

  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (or leave it unset to use embedded SQLite).');
  }

  const logFormat = nonEmpty(env.MOSAIC_LOG_FORMAT) ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError('MOSAIC_LOG_FORMAT must be "json" or "pretty".');
  }

  const publicUrl = (nonEmpty(env.MOSAIC_PUBLIC_URL) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');

  return {
    host,
    port,
    publicUrl,
    trustProxy: env.MOSAIC_TRUST_PROXY === '1',
    dataDir: path.resolve(cwd, nonEmpty(env.MOSAIC_DATA_DIR) ?? './data'),
    databaseUrl,
    masterKeyEnv: nonEmpty(env.MOSAIC_MASTER_KEY),
    adminEmail: nonEmpty(env.MOSAIC_ADMIN_EMAIL),
    adminPassword: env.MOSAIC_ADMIN_PASSWORD === undefined || env.MOSAIC_ADMIN_PASSWORD === '' ? null : env.MOSAIC_ADMIN_PASSWORD,
    tenantName: nonEmpty(env.MOSAIC_TENANT_NAME) ?? 'Default',
    allowPrivateUpstreams: env.MOSAIC_ALLOW_PRIVATE_UPSTREAMS === '1',
    sessionIdleMinutes: idle,
    chatLeaseSeconds,
    cheapFlows: env.MOSAIC_CHEAP_FLOWS !== '0',
    anthropicBaseUrl: nonEmpty(env.MOSAIC_ANTHROPIC_BASE_URL),
    openaiBaseUrl: nonEmpty(env.MOSAIC_OPENAI_BASE_URL),
    logFormat,
  };
}
