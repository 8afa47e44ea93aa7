// Who is signed in: loaded once from GET /api/me, set by sign-in and setup, cleared by sign-out.
// The CSRF token that comes with it is handed to the fetch wrapper for every write.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler } from '../api/api-client.ts';
import { ApiError } from '../api/api-error.ts';
import type { MeResponse, User } from '../api/api-types.ts';

export interface SessionState {
  /** undefined while loading, null when signed out. */
  user: User | null | undefined;
  /** A failure other than "not signed in" while loading (server down). */
  loadError: ApiError | null;
  signedIn(answer: MeResponse): void;
  signOut(): Promise<void>;
  isTenantAdmin: boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  useEffect(() => {
    let cancelled = false;
    api<MeResponse>('/api/me')
      .then((me) => {
        if (cancelled) return;
        setCsrfToken(me.csrfToken);
        setUser(me.user);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (!(error instanceof ApiError) || error.status !== 401) setLoadError(error instanceof ApiError ? error : null);
        setUser(null);
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = useCallback((answer: MeResponse) => {
    setCsrfToken(answer.csrfToken);
    setLoadError(null);
    setUser(answer.user);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST', body: {} });
    } catch {
      // Signed out either way: the session may already be gone on the server.
    }
    setCsrfToken(null);
    setUser(null);
  }, []);

  const value = useMemo<SessionState>(
    () => ({ user, loadError, signedIn, signOut, isTenantAdmin: Boolean(user?.roles.includes('tenant_admin')) }),
    [user, loadError, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
