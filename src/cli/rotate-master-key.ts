// `npm run mosaic -- rotate-master-key`: makes a new master key current and re-wraps every tenant data
// key under it while Mosaic keeps serving. With the key file it adds the new key itself; with
// MOSAIC_MASTER_KEY the operator puts the new key first. Safe to interrupt and run again.
import path from 'node:path';
import type { Command } from './commands.ts';
import type { Config } from '../config.ts';
import { systemClock } from '../clock.ts';
import { openDb } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import type { RotationResult } from '../vault/master-key-rotation.ts';
import { openVault } from '../vault/vault.ts';
import { VaultError } from '../vault/vault-error.ts';

const PROGRESS_EVERY = 100;

export const rotateMasterKeyCommand: Command = {
  summary: 'make a new master key current and re-wrap every tenant data key under it (re-runnable)',
  usage: 'rotate-master-key   (key file: adds the new key itself; MOSAIC_MASTER_KEY: put the new key first, restart Mosaic, then run)',
  async run(_args, config) {
    const logger = createLogger({ level: 'warn', destination: process.stderr });
    const { db } = openDb({ databaseUrl: config.databaseUrl, sqlitePath: path.join(config.dataDir, 'mosaic.db') });
    let done = 0;
    try {
      await migrateToLatest(db);
      const vault = await openVault({ config, db, logger, clock: systemClock });
      if (config.masterKeyEnv !== null) {
        console.log(
          `The current key is the first one in MOSAIC_MASTER_KEY (${vault.keyring.ring.current.id}). Every running Mosaic instance must\n` +
            'already have this same MOSAIC_MASTER_KEY: one still holding only the old keys cannot open what gets re-wrapped now.\n',
        );
      }
      const result = await vault.rotate({
        afterRow: (n) => {
          done = n;
          if (n % PROGRESS_EVERY === 0) console.log(`  re-wrapped ${n} tenant data keys…`);
        },
      });
      for (const line of formatRotationReport(result, config)) console.log(line);
      return 0;
    } catch (error) {
      if (error instanceof VaultError && done === 0) throw error;
      console.error(
        `mosaic: the rotation stopped after re-wrapping ${done} tenant data key(s): ${error instanceof Error ? error.message : String(error)}\n` +
          'Nothing is lost: every data key is still wrapped by a key in the ring. Fix the cause and run `npm run mosaic -- rotate-master-key` again: it resumes.',
      );
      return 1;
    } finally {
      await db.destroy();
    }
  },
};

/** What the operator reads at the end: what happened, which key ids are in use, which may be dropped and how. */
export function formatRotationReport(result: RotationResult, config: Config): string[] {
  const lines: string[] = [];
  const keyFile = path.join(config.dataDir, 'master.key');
  if (result.addedKeyId) lines.push(`Added a new current master key ${result.addedKeyId} at the top of ${keyFile}.`);
  if (result.resumed) {
    lines.push(
      `A previous rotation was not finished: it has been completed under the current key ${result.currentKeyId} ` +
        '(no further key added; run the command again for a fresh key).',
    );
  }
  if (result.nothingToRotate) {
    lines.push(
      `Every tenant data key is already wrapped by the first key in MOSAIC_MASTER_KEY (${result.currentKeyId}): nothing to re-wrap.`,
      'To rotate: make a key (`openssl rand -base64 32`), put it FIRST in MOSAIC_MASTER_KEY with the old keys after it,',
      'restart every Mosaic instance with that value, then run this command again with it.',
    );
  } else {
    lines.push(`Re-wrapped ${result.rewrapped} tenant data key(s) under the current master key ${result.currentKeyId}.`);
  }

  lines.push('', 'Master keys in the ring:');
  for (const key of result.usage) {
    const state = key.current ? 'current' : key.droppable ? 'unused — can be dropped' : 'still in use — keep it';
    lines.push(`  ${key.id}  ${state.padEnd(24)} wraps ${key.dataKeys} data key(s)  (${key.where})`);
  }

  const droppable = result.usage.filter((k) => k.droppable);
  const inUse = result.usage.filter((k) => !k.current && !k.droppable);
  lines.push('');
  if (droppable.length > 0) {
    const how = result.source === 'file'
      ? `delete its line from ${keyFile} (the lines named above)`
      : 'remove it from MOSAIC_MASTER_KEY on every instance (the positions named above), then restart them';
    lines.push(
      `Can be dropped now: ${droppable.map((k) => k.id).join(', ')}. To drop a key, ${how}.`,
      'Keep a copy of each dropped key with your database backups: a backup taken before this rotation still needs it.',
    );
  }
  if (inUse.length > 0) {
    lines.push(
      `Still in use, keep: ${inUse.map((k) => k.id).join(', ')}. An instance that started before the rotation may still wrap`,
      "new tenants' keys with an old key; restart it and run this command again (it resumes).",
    );
  }
  if (droppable.length === 0 && inUse.length === 0) lines.push('The ring holds only the current key; nothing to drop.');
  return lines;
}
