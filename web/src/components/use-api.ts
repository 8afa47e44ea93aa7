// Loads one GET endpoint into state, with loading/error, and a reload() for after a change.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/api-client.ts';
import { asApiError, type ApiError } from '../api/api-error.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const call = ++latest.current;
    const controller = new AbortController();
    setLoading(true);
    api<T>(path, { signal: controller.signal })
      .then((result) => {
        if (call !== latest.current) return;
        setData(result);
        setError(null);
      })
      .catch((err: unknown) => {
        if (call !== latest.current || controller.signal.aborted) return;
        setError(asApiError(err));
      })
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
    return () => controller.abort();
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload };
}
