// Tenants: one is created together with its first tenant admin in one transaction (with its audit
// event), so there is never a tenant nobody can administer.
import type { AuditActor } from '../audit/audit-log.ts';
import { writeAudit } from '../audit/audit-log.ts';
import type { Transaction } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { Role } from '../server/authorize.ts';
import { conflict } from '../server/errors.ts';
import { hashPassword } from './passwords.ts';
import { insertUser, parseRoles, type AccountsDeps } from './users.ts';

export interface TenantView {
  id: string;
  name: string;
}

export interface CreateTenantInput {
  name: string;
  admin: { email: string; password: string };
  /** The first user's roles; tenant_admin (and member) unless told otherwise. */
  adminRoles?: Role[];
  /** Who did it: the operator, or {id:null,email:null} for bootstrap and the CLI. */
  actor: AuditActor;
  /** How it was created, for the audit record: 'operator' | 'bootstrap' | 'setup' | 'cli'. */
  via: string;
  /** The operator's own tenant, which gets an audit record too. */
  actorTenantId?: string | null;
}

export interface CreatedTenant {
  tenant: TenantView;
  admin: { id: string; email: string; roles: Role[] };
}

/** Creates a tenant and its first admin; 409 `conflict` when the name or the email is taken. */
export async function createTenantWithAdmin(deps: AccountsDeps, input: CreateTenantInput): Promise<CreatedTenant> {
  const passwordHash = await hashPassword(input.admin.password);
  return deps.db.transaction().execute((tx) => insertTenantWithAdmin(tx, deps.clock, input, passwordHash));
}

/** The inserts of createTenantWithAdmin, inside the caller's transaction (first-run setup adds its own). */
export async function insertTenantWithAdmin(tx: Transaction<Database>, clock: Clock, input: CreateTenantInput, passwordHash: string): Promise<CreatedTenant> {
  const roles = input.adminRoles ?? ['member', 'tenant_admin'];
  const name = input.name.trim();
  const sameName = await tx
    .selectFrom('tenants')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  if (sameName) throw conflict('A tenant with this name already exists.');
  const now = isoNow(clock);
  const tenant = { id: newId(), name, created_at: now };
  await tx.insertInto('tenants').values(tenant).execute();
  const admin = await insertUser(tx, clock, { tenantId: tenant.id, email: input.admin.email, passwordHash, roles });
  const details = { name, adminEmail: admin.email, via: input.via };
  await writeAudit(tx, { tenantId: tenant.id, actor: input.actor, action: 'tenant.created', target: tenant.id, details, at: now });
  if (input.actorTenantId && input.actorTenantId !== tenant.id) {
    await writeAudit(tx, { tenantId: input.actorTenantId, actor: input.actor, action: 'operator.tenant_created', target: tenant.id, details, at: now });
  }
  return {
    tenant: { id: tenant.id, name: tenant.name },
    admin: { id: admin.id, email: admin.email, roles: parseRoles(admin.roles) },
  };
}
