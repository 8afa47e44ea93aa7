import { z } from 'zod';
import { emailField, newPasswordField } from '../../../accounts/account-fields.ts';

// global_admin is not offered: only bootstrap, first-run setup and the operator's CLI create operators.
const tenantRole = z.enum(['member', 'tenant_admin']);

export const createUserBody = z.strictObject({
  email: emailField,
  password: newPasswordField,
  role: tenantRole,
});

export const updateUserBody = z
  .strictObject({
    roles: z.array(tenantRole).min(1, { message: 'a user needs at least one role' }).max(2).refine((r) => new Set(r).size === r.length, { message: 'roles must not repeat' }).optional(),
    disabled: z.boolean().optional(),
    password: newPasswordField.optional(),
  })
  .refine((b) => b.roles !== undefined || b.disabled !== undefined || b.password !== undefined, { message: 'give at least one of roles, disabled, password' });
