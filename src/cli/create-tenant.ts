// `npm run mosaic -- create-tenant --name Acme --admin-email a@b.c [--admin-password …] [--global-admin]`:
// the operator's way to add a tenant and its first tenant admin without the HTTP API. Without
// --admin-password a strong password is generated and printed once.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emailField, newPasswordField, tenantNameField } from '../accounts/account-fields.ts';
import { generatePassword } from '../accounts/passwords.ts';
import { createTenantWithAdmin } from '../accounts/tenants.ts';
import { systemClock } from '../clock.ts';
import { openDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../server/errors.ts';
import type { Command } from './commands.ts';

const USAGE = 'create-tenant --name <name> --admin-email <email> [--admin-password <password>] [--global-admin]';

export const createTenantCommand: Command = {
  summary: 'create a tenant and its first tenant admin (prints a generated password when none is given)',
  usage: USAGE,
  takesOptions: true,
  async run(args, config) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          name: { type: 'string' },
          'admin-email': { type: 'string' },
          'admin-password': { type: 'string' },
          'global-admin': { type: 'boolean', default: false },
        },
        strict: true,
      }));
    } catch (error) {
      console.error(`mosaic: ${(error as Error).message}\nusage: npm run mosaic -- ${USAGE}`);
      return 2;
    }
    const name = tenantNameField.safeParse(values.name ?? '');
    const email = emailField.safeParse(values['admin-email'] ?? '');
    const generated = values['admin-password'] === undefined;
    const password = newPasswordField.safeParse(values['admin-password'] ?? generatePassword());
    if (!name.success || !email.success || !password.success) {
      if (!name.success) console.error('mosaic: --name is required (1 to 100 characters).');
      if (!email.success) console.error('mosaic: --admin-email must be an email address.');
      if (!password.success) console.error('mosaic: --admin-password must be 12 to 256 characters (or leave it out to get a generated one).');
      console.error(`usage: npm run mosaic -- ${USAGE}`);
      return 2;
    }

    const { db } = openDb({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'mosaic.db') });
    try {
      await migrateToLatest(db);
      const created = await createTenantWithAdmin({ db, clock: systemClock }, {
        name: name.data,
        admin: { email: email.data, password: password.data },
        adminRoles: values['global-admin'] ? ['member', 'tenant_admin', 'global_admin'] : ['member', 'tenant_admin'],
        actor: { id: null, email: null },
        via: 'cli',
      });
      console.log(`Created tenant "${created.tenant.name}" (${created.tenant.id}).`);
      console.log(`Tenant admin: ${created.admin.email} (${created.admin.roles.join(', ')})`);
      // Printed to the operator's terminal on purpose, once: it is stored only as a hash.
      if (generated) console.log(`Password: ${password.data}\nKeep it somewhere safe; it is not shown again.`);
      return 0;
    } catch (error) {
      if (error instanceof AppError && error.status === 409) {
        console.error(`mosaic: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      await db.destroy();
    }
  },
};
