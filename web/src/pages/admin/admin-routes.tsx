// Admin: the left nav and the page for the path (only rendered for Tenant Admins; app.tsx checks).
import { Link, matchPath } from '../../app/router.tsx';
import { NotFoundPage } from '../status-pages.tsx';
import { AddProviderPage } from './ai-config/add-provider-page.tsx';
import { AiConfigPage } from './ai-config/ai-config-page.tsx';
import { OverviewPage } from './overview/overview-page.tsx';
import { SessionDetailPage } from './sessions/session-detail-page.tsx';
import { SessionsPage } from './sessions/sessions-page.tsx';
import { UsagePage } from './usage/usage-page.tsx';
import { UsersPage } from './users/users-page.tsx';

const NAV = [
  { to: '/admin', label: 'Overview', match: 'exact' as const },
  { to: '/admin/sessions', label: 'AI Sessions', match: 'prefix' as const },
  { to: '/admin/ai-configuration', label: 'AI Configuration', match: 'prefix' as const },
  { to: '/admin/usage', label: 'Usage & limits', match: 'prefix' as const },
  { to: '/admin/users', label: 'Users', match: 'prefix' as const },
];

export function AdminRoutes({ path }: { path: string }) {
  const detail = matchPath('/admin/sessions/:id', path);
  let page;
  if (path === '/admin' || path === '/admin/') page = <OverviewPage />;
  else if (path === '/admin/sessions') page = <SessionsPage />;
  else if (detail) page = <SessionDetailPage sessionId={detail.id ?? ''} />;
  else if (path === '/admin/ai-configuration') page = <AiConfigPage />;
  else if (path === '/admin/ai-configuration/new') page = <AddProviderPage />;
  else if (path === '/admin/usage') page = <UsagePage />;
  else if (path === '/admin/users') page = <UsersPage />;
  else page = <NotFoundPage />;

  return (
    <div className="admin-layout">
      <nav className="admin-nav" aria-label="Admin">
        <div className="admin-nav-title">Admin</div>
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} activeMatch={item.match} className="admin-nav-link">
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-content">{page}</div>
    </div>
  );
}
