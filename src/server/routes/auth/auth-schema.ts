import { z } from 'zod';
import { emailField, newPasswordField, tenantNameField } from '../../../accounts/account-fields.ts';

// Sign-in does not apply the new-password rules: an old password is still checked, not judged.
export const loginBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(1024),
});

export const setupBody = z.strictObject({
  token: z.string().min(1).max(200),
  tenantName: tenantNameField.optional(),
  email: emailField,
  password: newPasswordField,
});
