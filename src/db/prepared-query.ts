// Kysely builds and compiles a query's SQL on every execution: on the chat hot path (~16 statements a
// turn) that showed as a few hundred µs of CPU per turn (issue 8). A prepared query is built and compiled
// once per database (dialect: `?` on SQLite, `$n` on PostgreSQL), with named placeholders standing in for
// the values; each execution only fills the parameter array, in the compiled order, and runs it.
//
//   const byId = preparedQuery<{ id: string }, UserRow>((db, p) => db.selectFrom('users').selectAll().where('id', '=', p('id')));
//   const rows = (await byId.execute(db, { id })).rows;
//
// Values are bound in the builder with p(name) only (never interpolated), so a placeholder can stand
// wherever Kysely would put a parameter: where-clauses, set(), values(), sql`` fragments.
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Db } from './database.ts';
import type { DbOrTx } from '../vault/vault-api.ts';

const MARK = '\u0000mosaic-param:';

type Slot = { name: string } | { value: unknown };

interface Compiled {
  sql: string;
  slots: Slot[];
}

export interface PreparedQuery<A, R> {
  /** Runs the query on `db` (a transaction too) with these values. */
  execute(db: DbOrTx, args: A): Promise<QueryResult<R>>;
}

/** A query compiled once per database, executed with new values (see the file comment). */
export function preparedQuery<A extends Record<string, unknown>, R>(
  build: (db: Db, p: <K extends keyof A & string>(name: K) => A[K]) => Compilable<R>,
): PreparedQuery<A, R> {
  // Keyed by the dialect's adapter: shared by a Kysely instance and its transactions, one per database.
  const byDialect = new WeakMap<object, Compiled>();
  const compile = (db: DbOrTx): Compiled => {
    const compiled = build(db as Db, ((name: string) => MARK + name) as never).compile();
    const slots = compiled.parameters.map((value): Slot => (typeof value === 'string' && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value }));
    return { sql: compiled.sql, slots };
  };
  return {
    async execute(db, args) {
      const key = db.getExecutor().adapter;
      let compiled = byDialect.get(key);
      if (compiled === undefined) {
        compiled = compile(db);
        byDialect.set(key, compiled);
      }
      const parameters = compiled.slots.map((slot) => ('name' in slot ? args[slot.name] : slot.value));
      return db.executeQuery(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>);
    },
  };
}
