// Loads the provider's model list for what the admin has typed so far (POST /api/admin/ai/models),
// a moment after they stop typing. The status is derived from the request the list belongs to, so
// the moment the key changes the picker shows "loading", never a stale list.
import { useEffect, useState } from 'react';
import { api } from '../../../api/api-client.ts';
import { asApiError, type ApiError } from '../../../api/api-error.ts';
import type { CatalogModel } from '../../../api/api-types.ts';
import type { ModelListStatus } from './model-picker.tsx';

const DEBOUNCE_MS = 500;

export interface ModelList {
  status: ModelListStatus;
  models: CatalogModel[];
  error: ApiError | null;
}

/** `request` null = nothing to ask yet (no key). `onLoaded` runs once per successful list. */
export function useModelList(request: Record<string, unknown> | null, onLoaded?: (models: CatalogModel[]) => void): ModelList {
  const requestKey = request ? JSON.stringify(request) : null;
  const [result, setResult] = useState<{ key: string; models: CatalogModel[]; error: ApiError | null } | null>(null);

  useEffect(() => {
    if (requestKey === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<{ models: CatalogModel[] }>('/api/admin/ai/models', { method: 'POST', body: JSON.parse(requestKey), signal: controller.signal })
        .then((answer) => {
          const models = answer.models ?? [];
          setResult({ key: requestKey, models, error: null });
          onLoaded?.(models);
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setResult({ key: requestKey, models: [], error: asApiError(error) });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // onLoaded is a callback from the form; only a new request should reload the list.
  }, [requestKey]);

  if (requestKey === null) return { status: 'idle', models: [], error: null };
  if (!result || result.key !== requestKey) return { status: 'loading', models: [], error: null };
  if (result.error) return { status: 'failed', models: [], error: result.error };
  return { status: 'loaded', models: result.models, error: null };
}
