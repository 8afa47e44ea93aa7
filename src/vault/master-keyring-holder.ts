// The keyring of a running process. Another process (rotate-master-key) may add a key to the key file
// while this one serves: when a wrapped data key names a key id this process does not hold, it re-reads
// its key source once and retries, and before wrapping a NEW data key it re-reads the key file so the
// newest current key is used. Keys already held are kept on a re-read, so a running server never loses
// the ability to open what it could open before.
import type { Logger } from '../logger.ts';
import { describeSource, MasterKeyring, readKeyring, type MasterKey } from './master-keyring.ts';
import { VaultError } from './vault-error.ts';

export class KeyringHolder {
  #ring: MasterKeyring;
  readonly #logger: Logger;
  #reloading: Promise<void> | null = null;

  constructor(ring: MasterKeyring, logger: Logger) {
    this.#ring = ring;
    this.#logger = logger;
  }

  get ring(): MasterKeyring {
    return this.#ring;
  }

  /** The key with this id, re-reading the key source once if it is not held. */
  async keyFor(id: string): Promise<MasterKey> {
    const held = this.#ring.byId(id);
    if (held) return held;
    await this.reload();
    const reloaded = this.#ring.byId(id);
    if (reloaded) return reloaded;
    const message =
      `A tenant data key is wrapped by master key id ${id}, which is not in ${describeSource(this.#ring.source)} ` +
      `(re-read just now). An operator must add that key back to the keyring (after the current key) from a backup.`;
    this.#logger.error({ masterKeyId: id, keyIds: this.#ring.ids() }, message);
    throw new VaultError('misconfigured', message);
  }

  /** The current key for a new wrapping; with a key file, re-read first (someone may have rotated). */
  async currentForWrapping(): Promise<MasterKey> {
    if (this.#ring.source.kind === 'file') await this.reload();
    return this.#ring.current;
  }

  /** Re-reads the key source; concurrent callers share one read. A failed read keeps the keys held. */
  async reload(): Promise<void> {
    this.#reloading ??= this.#readAndMerge().finally(() => {
      this.#reloading = null;
    });
    await this.#reloading;
  }

  async #readAndMerge(): Promise<void> {
    const source = this.#ring.source;
    let fresh: MasterKeyring | null;
    try {
      // The loose-mode warning was given at start; re-reads happen per new tenant and must not repeat it.
      fresh = await readKeyring(source, this.#logger, { warnLooseMode: false });
    } catch (error) {
      this.#logger.warn({ reason: error instanceof Error ? error.message : String(error) }, `could not re-read ${describeSource(source)}; keeping the keys loaded at start`);
      return;
    }
    if (!fresh) {
      this.#logger.warn(`${describeSource(source)} is gone; keeping the keys loaded at start — restore it before the next restart`);
      return;
    }
    const kept = this.#ring.keys.filter((k) => !fresh.byId(k.id));
    const before = this.#ring.current.id;
    this.#ring = new MasterKeyring([...fresh.keys, ...kept], source);
    if (this.#ring.current.id !== before) {
      this.#logger.info({ currentKeyId: this.#ring.current.id, previousKeyId: before }, 'the master keyring has a new current key');
    }
  }
}
