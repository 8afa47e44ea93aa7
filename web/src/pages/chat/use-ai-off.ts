// Whether the tenant has no active provider, for a Tenant Admin (only they may read the configuration).
import { useEffect, useState } from 'react';
import { api } from '../../api/api-client.ts';
import type { ProvidersResponse } from '../../api/api-types.ts';

/** True once the configuration says no provider is active; false while unknown or when not asked. */
export function useAiOffForAdmin(ask: boolean): boolean {
  const [off, setOff] = useState(false);
  useEffect(() => {
    if (!ask) return;
    const controller = new AbortController();
    api<ProvidersResponse>('/api/admin/ai/providers', { signal: controller.signal })
      .then((answer) => setOff(answer.activeProviderId === null))
      .catch(() => setOff(false)); // unknown: the send itself will say so
    return () => controller.abort();
  }, [ask]);
  return off;
}
