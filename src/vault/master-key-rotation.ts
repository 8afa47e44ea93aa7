// Master-key rotation: make a new key current, then re-wrap every tenant data key under it while Mosaic
// keeps serving. Secrets themselves are untouched (they are sealed by the data keys, which do not
// change). Each row is re-wrapped on its own with a compare-and-set on its old wrapping, so a run can
// stop anywhere and be run again, and two runs at once cannot undo each other. A key can leave the ring
// once no data key names it; the usage report says which.
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { KeyringHolder } from './master-keyring-holder.ts';
import { generateKeyText, masterKeyId, type KeySource } from './master-keyring.ts';
import { prependKeyToFile } from './master-key-file.ts';
import { countDataKeysByMasterKey, unwrapDataKey, wrapDataKey } from './tenant-data-keys.ts';

const PAGE = 100;
/** Extra passes pick up data keys that a server still on the old key created during the run. */
const MAX_PASSES = 3;

export interface RotationDeps {
  db: Db;
  keyring: KeyringHolder;
  clock: Clock;
  logger: Logger;
}

export interface RotationOptions {
  /** Called after each re-wrapped row with the count so far (progress; tests throw here to interrupt). */
  afterRow?: (rewrapped: number) => void | Promise<void>;
}

export interface KeyUsage {
  id: string;
  /** Where the key sits in its source: "line 2 of …/master.key", "key 2 of MOSAIC_MASTER_KEY". */
  where: string;
  current: boolean;
  dataKeys: number;
  /** Not current and no data key needs it: it may leave the ring. */
  droppable: boolean;
}

export interface RotationResult {
  source: KeySource['kind'];
  /** The key this run added to the key file, or null (env keyring, or resuming an unfinished run). */
  addedKeyId: string | null;
  /** A previous run left data keys on older keys: this run finished it instead of adding another key. */
  resumed: boolean;
  /** Env keyring whose first key already wraps every data key: the operator has not put a new key first. */
  nothingToRotate: boolean;
  currentKeyId: string;
  rewrapped: number;
  usage: KeyUsage[];
}

/** Re-wraps every data key not under the current key; returns how many this call changed. */
export async function rewrapDataKeys(deps: RotationDeps, options: RotationOptions = {}): Promise<number> {
  const target = deps.keyring.ring.current;
  let rewrapped = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let after = '';
    let changedThisPass = 0;
    for (;;) {
      const rows = await deps.db
        .selectFrom('tenant_data_keys')
        .select(['tenant_id', 'wrapped_key', 'master_key_id'])
        .where('master_key_id', '!=', target.id)
        .where('tenant_id', '>', after)
        .orderBy('tenant_id')
        .limit(PAGE)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        after = row.tenant_id;
        const oldKey = await deps.keyring.keyFor(row.master_key_id);
        const dataKey = unwrapDataKey(oldKey, row.tenant_id, row.wrapped_key);
        const wrapped = wrapDataKey(target, row.tenant_id, dataKey);
        // Check the new wrapping opens to the same key before the old one is replaced.
        if (!unwrapDataKey(target, row.tenant_id, wrapped).equals(dataKey)) {
          throw new Error(`re-wrapping the data key of tenant ${row.tenant_id} did not round-trip; nothing was changed`);
        }
        const result = await deps.db
          .updateTable('tenant_data_keys')
          .set({ wrapped_key: wrapped, master_key_id: target.id, updated_at: deps.clock.now().toISOString() })
          .where('tenant_id', '=', row.tenant_id)
          .where('master_key_id', '=', row.master_key_id)
          .where('wrapped_key', '=', row.wrapped_key)
          .executeTakeFirst();
        // Zero rows: another rotation re-wrapped it first, which is just as good.
        if (result.numUpdatedRows > 0n) {
          rewrapped++;
          changedThisPass++;
          await options.afterRow?.(rewrapped);
        }
      }
    }
    if (changedThisPass === 0) break;
  }
  deps.logger.info({ currentKeyId: target.id, rewrapped }, 'tenant data keys re-wrapped under the current master key');
  return rewrapped;
}

/** Which key wraps how many data keys, and which keys may leave the ring. */
export async function keyUsage(deps: Pick<RotationDeps, 'db' | 'keyring'>): Promise<KeyUsage[]> {
  const counts = await countDataKeysByMasterKey(deps.db);
  const ring = deps.keyring.ring;
  return ring.keys.map((key) => {
    const dataKeys = counts.get(key.id) ?? 0;
    const current = key.id === ring.current.id;
    return { id: key.id, where: key.where, current, dataKeys, droppable: !current && dataKeys === 0 };
  });
}

/**
 * The whole rotation. With a key file: adds a new current key at its top (unless a previous run was
 * interrupted, which is finished instead). With MOSAIC_MASTER_KEY: the operator has put the new key first.
 * Then re-wraps every data key and reports the usage of each key.
 */
export async function rotateMasterKey(deps: RotationDeps, options: RotationOptions = {}): Promise<RotationResult> {
  await deps.keyring.reload();
  const source = deps.keyring.ring.source;
  const counts = await countDataKeysByMasterKey(deps.db);
  const behind = [...counts].filter(([id]) => id !== deps.keyring.ring.current.id).reduce((sum, [, n]) => sum + n, 0);

  let addedKeyId: string | null = null;
  if (source.kind === 'file' && behind === 0) {
    const keyText = generateKeyText();
    addedKeyId = masterKeyId(Buffer.from(keyText, 'base64'));
    await prependKeyToFile(source.path, keyText);
    await deps.keyring.reload();
    deps.logger.info({ addedKeyId, path: source.path }, 'added a new current master key to the key file');
  }
  const rewrapped = await rewrapDataKeys(deps, options);
  return {
    source: source.kind,
    addedKeyId,
    resumed: source.kind === 'file' && behind > 0,
    nothingToRotate: source.kind === 'env' && behind === 0,
    currentKeyId: deps.keyring.ring.current.id,
    rewrapped,
    usage: await keyUsage(deps),
  };
}
