// The dataset the chat's agent queries, opened once per process on first use and shared by every turn
// (its query helpers are a worker pool); closed at shutdown.
import type { DatasetSource } from '../datasets/dataset-source.ts';

export interface DatasetHolder {
  /** The tenant's dataset: today every tenant gets the embedded sample sales dataset. */
  sourceFor(tenantId: string): Promise<DatasetSource>;
  close(): Promise<void>;
}

export function createDatasetHolder(open: () => Promise<DatasetSource>): DatasetHolder {
  let opening: Promise<DatasetSource> | null = null;
  return {
    sourceFor() {
      opening ??= open().catch((error: unknown) => {
        opening = null;
        throw error;
      });
      return opening;
    },
    async close() {
      const current = opening;
      opening = null;
      if (current) await (await current.catch(() => null))?.close();
    },
  };
}
