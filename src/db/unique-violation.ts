// Recognises a unique-constraint violation from either database, so a race between a "does it exist?"
// check and the insert still ends as a clean 409 rather than a 500.

/** True when the error is SQLite's or PostgreSQL's unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
