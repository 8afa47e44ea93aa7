// The app: who is signed in decides what is shown; the path picks the page.
import { useEffect } from 'react';
import { AdminRoutes } from '../pages/admin/admin-routes.tsx';
import { LoginPage } from '../pages/auth/login-page.tsx';
import { SetupPage } from '../pages/auth/setup-page.tsx';
import { ChatPage } from '../pages/chat/chat-page.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/status-pages.tsx';
import { TokensPage } from '../pages/tokens/tokens-page.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { Spinner } from '../components/spinner.tsx';
import { AppHeader } from './app-header.tsx';
import { matchPath, navigate, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session-context.tsx';

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}

function Routes() {
  const { user, loadError, isTenantAdmin } = useSession();
  const { path, search } = useLocation();
  const isPublic = path === '/login' || path === '/setup';

  useEffect(() => {
    if (user === null && !isPublic) {
      const next = path + (search.toString() ? `?${search.toString()}` : '');
      navigate(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, { replace: true });
    }
    if (user && path === '/login') navigate('/', { replace: true });
  }, [user, isPublic, path, search]);

  useEffect(() => {
    document.title = titleFor(path);
  }, [path]);

  if (path === '/setup') return <SetupPage />;
  if (user === undefined) {
    return (
      <main className="status-page">
        <Spinner label="Loading Mosaic…" />
      </main>
    );
  }
  if (user === null) {
    return (
      <>
        {loadError && (
          <div className="banner">
            <ErrorNote error={loadError} title="Mosaic is not answering" />
          </div>
        )}
        {path === '/login' ? <LoginPage /> : null}
      </>
    );
  }

  let page;
  const chat = matchPath('/chat/:id', path);
  if (path === '/') page = <ChatPage sessionId={null} />;
  else if (chat) page = <ChatPage sessionId={chat.id ?? null} />;
  else if (path === '/tokens') page = <TokensPage />;
  else if (path === '/admin' || path.startsWith('/admin/')) page = isTenantAdmin ? <AdminRoutes path={path} /> : <ForbiddenPage />;
  else page = <NotFoundPage />;

  return (
    <div className="app">
      <AppHeader />
      <div className="app-body" id="main" tabIndex={-1}>
        {page}
      </div>
    </div>
  );
}

function titleFor(path: string): string {
  if (path.startsWith('/admin/ai-configuration')) return 'AI Configuration · Mosaic';
  if (path.startsWith('/admin/sessions')) return 'AI Sessions · Mosaic';
  if (path.startsWith('/admin/usage')) return 'Usage & limits · Mosaic';
  if (path.startsWith('/admin/users')) return 'Users · Mosaic';
  if (path.startsWith('/admin')) return 'Admin · Mosaic';
  if (path === '/tokens') return 'Access tokens · Mosaic';
  if (path === '/login') return 'Sign in · Mosaic';
  if (path === '/setup') return 'Set up · Mosaic';
  return 'Chat · Mosaic';
}
