// Users of a tenant: create, list, find, update (roles, disabled, password reset). Every change by an
// admin writes its audit event in the same transaction. Emails are stored lower-cased and are unique
// across tenants, because sign-in is by email alone.
import type { AppContext } from '../app-context.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { writeAudit } from '../audit/audit-log.ts';
import { isoNow, type Clock } from '../clock.ts';
import type { Database, UserRow } from '../db/schema.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { newId } from '../ids.ts';
import { conflict } from '../server/errors.ts';
import { ROLES, type Role } from '../server/authorize.ts';
import type { DbOrTx } from '../vault/vault-api.ts';
import type { Kysely } from 'kysely';
import { hashPassword } from './passwords.ts';
import { inConfigTransaction } from '../ai-config/ai-config-transaction.ts';

export type AccountsDeps = Pick<AppContext, 'db' | 'clock'>;

/** The roles a tenant admin hands out; global_admin is the operator's and only bootstrap/CLI grant it. */
export type TenantRole = 'member' | 'tenant_admin';

export interface UserView {
  id: string;
  email: string;
  roles: Role[];
  tenantId: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The stored roles JSON as a list of known roles (unknown entries are dropped, never trusted). */
export function parseRoles(json: string): Role[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? ROLES.filter((r) => value.includes(r)) : [];
  } catch {
    return [];
  }
}

/** The roles stored for the role named in the API: a tenant admin is a member too. */
export const rolesForRole = (role: TenantRole): Role[] => (role === 'tenant_admin' ? ['member', 'tenant_admin'] : ['member']);

export function presentUser(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    roles: parseRoles(row.roles),
    tenantId: row.tenant_id,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const emailTaken = () => conflict('A user with this email already exists.');

export interface InsertUserInput {
  tenantId: string;
  email: string;
  passwordHash: string;
  roles: Role[];
}

/** Inserts a user inside the caller's transaction; a taken email is a 409 `conflict`. */
export async function insertUser(db: DbOrTx, clock: Clock, input: InsertUserInput): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw emailTaken();
  const now = isoNow(clock);
  const row: UserRow = {
    id: newId(),
    tenant_id: input.tenantId,
    email,
    password_hash: input.passwordHash,
    roles: JSON.stringify(ROLES.filter((r) => input.roles.includes(r))),
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  try {
    await db.insertInto('users').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return row;
}

export interface CreateUserInput {
  tenantId: string;
  email: string;
  password: string;
  roles: Role[];
  actor: AuditActor;
}

/** A tenant admin adds a user to their tenant. */
export async function createUser(deps: AccountsDeps, input: CreateUserInput): Promise<UserView> {
  // Hash before the transaction: argon2 takes tens of milliseconds and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const row = await deps.db.transaction().execute(async (tx) => {
    const user = await insertUser(tx, deps.clock, { ...input, passwordHash });
    await writeAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: 'user.created',
      target: user.id,
      details: { email: user.email, roles: parseRoles(user.roles) },
      at: user.created_at,
    });
    return user;
  });
  return presentUser(row);
}

export async function listUsers(db: Kysely<Database>, tenantId: string): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute();
  return rows.map(presentUser);
}

/** A user of this tenant, or null (unknown id, malformed id, or another tenant's user). */
export async function findUser(db: DbOrTx, tenantId: string, userId: string): Promise<UserRow | null> {
  const row = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', userId).executeTakeFirst();
  return row ?? null;
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | null> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row ?? null;
}

export interface UserPatch {
  roles?: TenantRole[];
  disabled?: boolean;
  password?: string;
}

export interface UpdateUserInput {
  tenantId: string;
  userId: string;
  patch: UserPatch;
  actor: AuditActor;
  /** The acting admin's own sign-in session: a reset of their own password keeps it. */
  keepAuthSessionId?: string | null;
}

/**
 * Applies a tenant admin's change to a user of the same tenant. An admin cannot take away their own
 * tenant_admin role or disable themselves: since only tenant admins change users, that alone keeps every
 * tenant with at least one admin. global_admin is kept as it was: a tenant admin neither grants nor removes it.
 */
export async function updateUser(deps: AppContext, input: UpdateUserInput): Promise<UserView | null> {
  const { patch } = input;
  const self = input.actor.id === input.userId;
  if (self && patch.roles && !patch.roles.includes('tenant_admin')) {
    throw conflict('You cannot remove your own tenant_admin role; ask another tenant admin.', 'cannot_remove_own_admin_role');
  }
  if (self && patch.disabled === true) {
    throw conflict('You cannot disable your own account; ask another tenant admin.', 'cannot_disable_self');
  }
  const passwordHash = patch.password === undefined ? null : await hashPassword(patch.password);

  // A configuration transaction: its version bump ends the user's cached bearer-token lookups on every
  // instance (accounts/api-token-cache.ts), so a disable, a role change or a password reset holds at once.
  const row = await inConfigTransaction(deps, input.tenantId, async (tx) => {
    const current = await findUser(tx, input.tenantId, input.userId);
    if (!current) return null;
    const now = isoNow(deps.clock);
    const changes: Record<string, unknown> = {};
    const update: Partial<UserRow> = { updated_at: now };
    if (patch.roles) {
      const keepGlobal = parseRoles(current.roles).includes('global_admin');
      const roles = ROLES.filter((r) => (patch.roles as Role[]).includes(r) || (r === 'global_admin' && keepGlobal));
      update.roles = JSON.stringify(roles);
      changes.roles = roles;
    }
    if (patch.disabled !== undefined) {
      update.disabled = patch.disabled ? 1 : 0;
      changes.disabled = patch.disabled;
    }
    if (passwordHash !== null) {
      update.password_hash = passwordHash;
      changes.passwordReset = true;
    }
    await tx.updateTable('users').set(update).where('tenant_id', '=', input.tenantId).where('id', '=', input.userId).execute();
    // A disabled account or a reset password ends the user's open sign-in sessions.
    if (patch.disabled === true || passwordHash !== null) {
      let del = tx.deleteFrom('auth_sessions').where('tenant_id', '=', input.tenantId).where('user_id', '=', input.userId);
      if (input.keepAuthSessionId) del = del.where('id', '!=', input.keepAuthSessionId);
      await del.execute();
    }
    await writeAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: 'user.updated', target: input.userId, details: { email: current.email, changes }, at: now });
    return { ...current, ...update };
  });
  return row ? presentUser(row) : null;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
