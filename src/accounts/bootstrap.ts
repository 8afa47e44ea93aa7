// First start. With no users in the database: when MOSAIC_ADMIN_EMAIL and MOSAIC_ADMIN_PASSWORD are set,
// create tenant MOSAIC_TENANT_NAME with that user as tenant_admin and global_admin; otherwise create a
// one-time setup token (stored hashed) and log the setup link once. That log line is the one place the
// token is ever written: the person installing Mosaic needs it, and it is useless once used.
import type { AppContext } from '../app-context.ts';
import { isoNow } from '../clock.ts';
import type { Role } from '../server/authorize.ts';
import { AppError, conflict } from '../server/errors.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';
import { createTenantWithAdmin, insertTenantWithAdmin, type CreatedTenant } from './tenants.ts';
import { hashCredential, randomCredential } from './token-hash.ts';
import { countUsers, type AccountsDeps } from './users.ts';

export const FIRST_ADMIN_ROLES: Role[] = ['member', 'tenant_admin', 'global_admin'];

/** A bootstrap setting that cannot work; main.ts prints the message (it names the fix) and exits 1. */
export class BootstrapError extends Error {
  override name = 'BootstrapError';
  readonly userFacing = true;
}

export type BootstrapOutcome = 'already_set_up' | 'admin_created' | 'setup_link_logged';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface BootstrapOptions {
  /** The URL the setup link starts with; MOSAIC_PUBLIC_URL unless serve.ts knows better (MOSAIC_PORT=0). */
  publicUrl?: string;
}

export async function bootstrap(ctx: Pick<AppContext, 'db' | 'clock' | 'logger' | 'config'>, options: BootstrapOptions = {}): Promise<BootstrapOutcome> {
  const { adminEmail, adminPassword, tenantName } = ctx.config;
  const publicUrl = options.publicUrl ?? ctx.config.publicUrl;
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new BootstrapError('Set both MOSAIC_ADMIN_EMAIL and MOSAIC_ADMIN_PASSWORD (or neither, to get a one-time setup link).');
  }
  if (await countUsers(ctx.db) > 0) return 'already_set_up';

  if (adminEmail !== null && adminPassword !== null) {
    if (!EMAIL.test(adminEmail)) throw new BootstrapError('MOSAIC_ADMIN_EMAIL is not an email address.');
    if (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH) {
      throw new BootstrapError(`MOSAIC_ADMIN_PASSWORD must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
    }
    try {
      const created = await createTenantWithAdmin(ctx, {
        name: tenantName,
        admin: { email: adminEmail, password: adminPassword },
        adminRoles: FIRST_ADMIN_ROLES,
        actor: { id: null, email: null },
        via: 'bootstrap',
      });
      ctx.logger.info({ tenantId: created.tenant.id, email: created.admin.email }, `Created tenant "${created.tenant.name}" with ${created.admin.email} as its admin`);
      return 'admin_created';
    } catch (error) {
      // Another instance starting at the same moment won the race: that is the same outcome.
      if (isUniqueViolation(error) || (error instanceof AppError && error.status === 409)) return 'already_set_up';
      throw error;
    }
  }

  const token = randomCredential();
  await ctx.db.transaction().execute(async (tx) => {
    // Only the newest link works: the previous start's token can no longer be shown to anyone anyway.
    await tx.deleteFrom('setup_tokens').where('used_at', 'is', null).execute();
    await tx.insertInto('setup_tokens').values({ token_hash: hashCredential(token), created_at: isoNow(ctx.clock), used_at: null }).execute();
  });
  ctx.logger.warn(`No users yet: open ${publicUrl}/setup?token=${token} to create the first tenant and its admin (the link works once).`);
  return 'setup_link_logged';
}

/** Whether first-run setup is still needed (no user exists yet). */
export async function setupNeeded(db: AccountsDeps['db']): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

export const invalidSetupToken = () =>
  new AppError(403, 'invalid_setup_token', 'This setup link is not valid or was already used; restart Mosaic to log a new one.');
export const alreadySetUp = () => conflict('Mosaic is already set up; sign in instead.', 'already_set_up');

export interface CompleteSetupInput {
  token: string;
  tenantName: string;
  email: string;
  password: string;
}

/** The setup link's form: uses the token (once) and creates the first tenant and admin, together. */
export async function completeSetup(deps: AccountsDeps, input: CompleteSetupInput): Promise<CreatedTenant> {
  if (!(await setupNeeded(deps.db))) throw alreadySetUp();
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('setup_tokens')
      .set({ used_at: isoNow(deps.clock) })
      .where('token_hash', '=', hashCredential(input.token))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw invalidSetupToken();
    if ((await countUsers(tx)) > 0) throw alreadySetUp();
    return insertTenantWithAdmin(tx, deps.clock, {
      name: input.tenantName,
      admin: { email: input.email, password: input.password },
      adminRoles: FIRST_ADMIN_ROLES,
      actor: { id: null, email: null },
      via: 'setup',
    }, passwordHash);
  });
}
