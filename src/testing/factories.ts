// Test factories shared by every area's tests. Keep these signatures stable.
//
//   const t = await createTestApp(kind);
//   const { tenant, admin } = await seedTenant(t.ctx);             // admin holds member + tenant_admin
//   const member = await createUser(t.ctx, tenant.id);              // role 'member' by default
//   const session = await signIn(t.app, admin.email, admin.password);
//   await t.app.inject({ method: 'POST', url: '/api/…', headers: session.headers, payload: {…} });
//   const bearer = await issueToken(t.app, session);                // { authorization: 'Bearer mosaic_pat_…' }
//
// seedTenant and createUser write straight to the database (no HTTP, no audit of their own beyond what
// the account commands write); signIn and issueToken go through the real endpoints.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { createTenantWithAdmin } from '../accounts/tenants.ts';
import { createUser as createAccount, rolesForRole } from '../accounts/users.ts';
import { newId } from '../ids.ts';

export interface SeededTenant {
  tenant: { id: string; name: string };
  /** The tenant's first user, with roles member + tenant_admin. */
  admin: { id: string; email: string; password: string };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export interface SignedIn {
  /** The `Cookie` header value (`mosaic_session=…`). */
  cookie: string;
  csrfToken: string;
  /** `{ cookie, 'x-csrf-token' }`: pass as app.inject({ headers }) for reads and writes alike. */
  headers: Record<string, string>;
}

// The tail of a UUIDv7 is random (its head is the time, shared by ids of the same minute).
const unique = () => newId().slice(-12);
const testPassword = () => `pw-${newId()}`;

/** A new tenant with one tenant admin (unique name and email unless given). */
export async function seedTenant(ctx: Pick<AppContext, 'db' | 'clock'>, options: { name?: string } = {}): Promise<SeededTenant> {
  const id = unique();
  const password = testPassword();
  const created = await createTenantWithAdmin(ctx, {
    name: options.name ?? `Tenant ${id}`,
    admin: { email: `admin-${id}@example.test`, password },
    actor: { id: null, email: null },
    via: 'test',
  });
  return { tenant: created.tenant, admin: { id: created.admin.id, email: created.admin.email, password } };
}

/** Another user of the tenant: a member unless `role: 'tenant_admin'`. */
export async function createUser(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  tenantId: string,
  options: { role?: 'member' | 'tenant_admin'; email?: string } = {},
): Promise<TestUser> {
  const password = testPassword();
  const user = await createAccount(ctx, {
    tenantId,
    email: options.email ?? `user-${unique()}@example.test`,
    password,
    roles: rolesForRole(options.role ?? 'member'),
    actor: { id: null, email: null },
  });
  return { id: user.id, email: user.email, password };
}

/** Signs in through POST /api/auth/login; throws when that does not answer 200. */
export async function signIn(app: FastifyInstance, email: string, password: string): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`signIn(${email}) answered ${res.statusCode}: ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'mosaic_session');
  if (!session) throw new Error('signIn: no mosaic_session cookie was set');
  const { csrfToken } = res.json() as { csrfToken: string };
  const cookie = `mosaic_session=${session.value}`;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** Creates a personal access token for the signed-in user; returns `{ authorization: 'Bearer …' }`. */
export async function issueToken(app: FastifyInstance, session: SignedIn, options: { name?: string; expiresInDays?: number } = {}): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/tokens', headers: session.headers, payload: { name: options.name ?? 'test token', ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}) } });
  if (res.statusCode !== 201) throw new Error(`issueToken answered ${res.statusCode}: ${res.body}`);
  return { authorization: `Bearer ${(res.json() as { token: string }).token}` };
}
