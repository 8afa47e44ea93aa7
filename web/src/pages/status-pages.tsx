// Pages for "you may not" and "nothing here".
import { Link } from '../app/router.tsx';

export function ForbiddenPage() {
  return (
    <div className="status-page">
      <h1>You need the Tenant Admin role</h1>
      <p className="muted">The Admin pages are for Tenant Admins. Ask a Tenant Admin of your organisation if you need access.</p>
      <Link to="/" className="btn btn-primary">
        Back to chat
      </Link>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="status-page">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link to="/" className="btn btn-primary">
        Back to chat
      </Link>
    </div>
  );
}
