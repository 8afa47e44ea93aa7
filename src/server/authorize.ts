// The one place a route says who may call it. Every handler starts with authorize(request, …), which
// applies the contract's order of checks: 401 unauthenticated → 403 csrf_failed → 403 forbidden.
// (404 for foreign or unknown ids and 400 for a bad body come after, inside the handler.)
import type { FastifyRequest } from 'fastify';
import { csrfFailed, forbidden, unauthenticated } from './errors.ts';

export type Role = 'member' | 'tenant_admin' | 'global_admin';
export const ROLES: readonly Role[] = ['member', 'tenant_admin', 'global_admin'];

/** Who is calling: set by the authentication plugin from the session cookie or a bearer token. */
export interface Caller {
  userId: string;
  tenantId: string;
  email: string;
  roles: Role[];
  via: 'cookie' | 'token';
  /** The session's CSRF token (cookie sessions only). */
  csrfToken: string | null;
  /** The auth session id (cookie sessions only), for logout. */
  authSessionId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthorizeOptions {
  /** The caller must hold this role (global_admin does not imply tenant_admin). */
  role?: Role;
}

export function authorize(request: FastifyRequest, options: AuthorizeOptions = {}): Caller {
  const caller = request.caller;
  if (!caller) throw unauthenticated();
  if (caller.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || caller.csrfToken === null || !timingSafeEqualStrings(sent, caller.csrfToken)) {
      throw csrfFailed();
    }
  }
  if (options.role && !caller.roles.includes(options.role)) throw forbidden();
  return caller;
}

function timingSafeEqualStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
