// The vault's one error. It is an AppError, so a route that meets it answers in the contract's shape:
// a stored secret that cannot be opened (altered, moved, missing) is a 422 the tenant admin fixes by
// entering the secret again; a keyring the server cannot use is a 500 only an operator can fix.
// Messages name the fix and never carry key material or plaintext.
import { AppError } from '../server/errors.ts';

export type VaultErrorReason =
  /** The keyring is missing, malformed or lacks a key that stored data needs: an operator must act. */
  | 'misconfigured'
  /** A stored secret failed authentication: altered, copied to another row, tenant or purpose. */
  | 'unreadable'
  /** No stored secret with that id for that tenant. */
  | 'missing';

export class VaultError extends AppError {
  override name = 'VaultError';
  readonly reason: VaultErrorReason;
  /** main.ts prints such errors as one line instead of a stack trace. */
  readonly userFacing = true;

  constructor(reason: VaultErrorReason, message: string) {
    super(reason === 'misconfigured' ? 500 : 422, 'vault_error', message);
    this.reason = reason;
  }
}
