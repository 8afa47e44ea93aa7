// One user action against the API (a form's submit, a confirm button): busy while it runs, and its
// failure kept as an ApiError for the ErrorNote until the next try. run() returns that error too, for a
// caller that maps it further (a form's field errors).
import { useCallback, useState } from 'react';
import { asApiError, type ApiError } from '../api/api-error.ts';

export interface ActionState {
  busy: boolean;
  error: ApiError | null;
  run: (action: () => Promise<void>) => Promise<ApiError | null>;
}

export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (action: () => Promise<void>): Promise<ApiError | null> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return null;
    } catch (err) {
      const failure = asApiError(err);
      setError(failure);
      return failure;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
