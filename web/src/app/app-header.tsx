// The top bar: the product, Chat and (for Tenant Admins) Admin, the person's email and Sign out.
import { Link, navigate } from './router.tsx';
import { useSession } from './session-context.tsx';

export function AppHeader() {
  const { user, isTenantAdmin, signOut } = useSession();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand" aria-label="Mosaic home">
        <span className="brand-mark" aria-hidden="true" /> Mosaic
      </Link>
      <nav className="app-nav" aria-label="Main">
        <Link to="/" activeMatch="exact" className="app-nav-link">
          Chat
        </Link>
        {isTenantAdmin && (
          <Link to="/admin" activeMatch="prefix" className="app-nav-link">
            Admin
          </Link>
        )}
      </nav>
      <div className="app-user">
        <span className="app-user-email" title={user?.roles.join(', ')}>
          {user?.email}
        </span>
        <Link to="/tokens" activeMatch="exact" className="app-nav-link app-user-link" title="Personal access tokens for scripts and tools">
          Access tokens
        </Link>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={async () => {
            await signOut();
            navigate('/login', { replace: true });
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
