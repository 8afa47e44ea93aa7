import { z } from 'zod';
import { emailField, newPasswordField, tenantNameField } from '../../../accounts/account-fields.ts';

export const createTenantBody = z.strictObject({
  name: tenantNameField,
  admin: z.strictObject({ email: emailField, password: newPasswordField }),
});
