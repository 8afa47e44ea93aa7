// Opens a dataset file so that whatever SQL a model writes can only read that one file. The connection
// itself enforces it, not string checks: read-only open, query_only, defensive mode, no extension loading,
// SQLITE_LIMIT_ATTACHED = 0, and an authorizer that allows only reads. A read-only connection alone is not
// enough: it can still ATTACH another file (Mosaic's own database) and read it, VACUUM INTO writes a new
// file, and a PRAGMA such as busy_timeout or soft_heap_limit takes effect while the statement is being
// prepared. The authorizer runs at prepare time, so all of these are refused before anything happens.
//
// Why node:sqlite and not better-sqlite3 (the project's driver elsewhere): better-sqlite3 exposes neither
// sqlite3_set_authorizer nor sqlite3_limit, and its Statement#readonly is true for ATTACH.
import fs from 'node:fs';
import { DatabaseSync, constants } from 'node:sqlite';

/** Introspection pragmas that only read the schema: the describe step and models asking "PRAGMA table_info(orders)". */
const SCHEMA_PRAGMAS: ReadonlySet<string> = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_list',
  'index_info',
  'index_xinfo',
  'foreign_key_list',
]);

/** SQL functions with effects beyond the query (both are off by default; refused here as well). */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set(['load_extension', 'fts3_tokenizer']);

const ACTION_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(constants)
    .filter(([name]) => name.startsWith('SQLITE_') && !name.startsWith('SQLITE_CHANGESET') && !['SQLITE_OK', 'SQLITE_DENY', 'SQLITE_IGNORE'].includes(name))
    .map(([name, code]) => [code, name.slice('SQLITE_'.length)]),
);

/** What the authorizer refused last, for an error message the model can act on. */
export interface Denial {
  action: string;
  /** The table, pragma, function or file the action was about, when SQLite said. */
  subject: string | null;
}

export interface SandboxedDataset {
  db: DatabaseSync;
  /** The last refusal since the previous call, then forgets it. */
  takeDenial(): Denial | null;
  close(): void;
}

export interface AuthorizerVerdict {
  allow: boolean;
  denial: Denial | null;
}

/** The authorizer's rule, pure: reads, recursive CTEs, ordinary functions and schema-reading pragmas only. */
export function judgeAction(action: number, arg1: string | null, arg2: string | null): AuthorizerVerdict {
  switch (action) {
    case constants.SQLITE_SELECT:
    case constants.SQLITE_READ:
    case constants.SQLITE_RECURSIVE:
      return { allow: true, denial: null };
    case constants.SQLITE_FUNCTION: {
      const name = (arg2 ?? '').toLowerCase();
      return DENIED_FUNCTIONS.has(name) ? { allow: false, denial: { action: 'FUNCTION', subject: name } } : { allow: true, denial: null };
    }
    case constants.SQLITE_PRAGMA: {
      const name = (arg1 ?? '').toLowerCase();
      return SCHEMA_PRAGMAS.has(name) ? { allow: true, denial: null } : { allow: false, denial: { action: 'PRAGMA', subject: name } };
    }
    default:
      return { allow: false, denial: { action: ACTION_NAMES.get(action) ?? `action ${action}`, subject: arg1 } };
  }
}

/** Opens `path` read-only inside the sandbox described above. Throws if the file is missing. */
export function openSandboxedDataset(path: string): SandboxedDataset {
  if (!fs.existsSync(path)) throw new Error(`The dataset file ${path} does not exist.`);
  const db = new DatabaseSync(path, {
    readOnly: true,
    allowExtension: false,
    // Short texts only: a model has no use for a 1 GB zeroblob(), and SQLite allocates it before we see it.
    limits: { attach: 0, length: 1_000_000, sqlLength: 100_000 },
  });
  try {
    if (typeof db.setAuthorizer !== 'function') {
      throw new Error('This Node.js has no sqlite authorizer (node:sqlite setAuthorizer): run Mosaic on Node 24.10 or later.');
    }
    db.exec('PRAGMA query_only = ON');
    db.exec('PRAGMA trusted_schema = OFF');
    db.enableDefensive(true);
    let last: Denial | null = null;
    db.setAuthorizer((action, arg1, arg2) => {
      const verdict = judgeAction(action, arg1, arg2);
      if (!verdict.allow) last = verdict.denial;
      return verdict.allow ? constants.SQLITE_OK : constants.SQLITE_DENY;
    });
    return {
      db,
      takeDenial() {
        const denial = last;
        last = null;
        return denial;
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
