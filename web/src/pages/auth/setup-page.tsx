// First run: the one-time setup link (/setup?token=…) creates the tenant and its Tenant Admin, and
// signs that admin in.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/api-client.ts';
import type { MeResponse } from '../../api/api-types.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session-context.tsx';
import { ErrorNote } from '../../components/error-note.tsx';
import { Field } from '../../components/field.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useAction } from '../../components/use-action.ts';

const MIN_PASSWORD = 12;

/** Reads "is setup still open?" from the status answer, whatever its exact field name. */
function setupIsOpen(status: Record<string, unknown>): boolean {
  for (const key of ['needed', 'setupRequired', 'needsSetup', 'required', 'open']) {
    if (typeof status[key] === 'boolean') return status[key] as boolean;
  }
  if (typeof status.status === 'string') return !['complete', 'completed', 'done'].includes(status.status);
  return true;
}

export function SetupPage() {
  const { signedIn } = useSession();
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [open, setOpen] = useState<boolean | undefined>(undefined);
  const [tenantName, setTenantName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, run } = useAction();
  const [touched, setTouched] = useState(false);

  useEffect(() => {
    api<Record<string, unknown>>('/api/setup/status')
      .then((status) => setOpen(setupIsOpen(status)))
      .catch(() => setOpen(true)); // let the POST say what is wrong
  }, []);

  const passwordError = touched && password.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters.` : null;
  const confirmError = touched && confirm !== password ? 'The two passwords differ.' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length < MIN_PASSWORD || confirm !== password || !email || !tenantName) return;
    await run(async () => {
      const answer = await api<MeResponse>('/api/setup', { method: 'POST', body: { token, tenantName, email, password } });
      signedIn(answer);
      navigate('/admin/ai-configuration', { replace: true });
    });
  };

  if (open === undefined) {
    return (
      <main className="auth-page">
        <Spinner label="Checking the setup link…" />
      </main>
    );
  }
  if (!open) {
    return (
      <main className="auth-page">
        <div className="auth-card">
          <h1>Mosaic is already set up</h1>
          <p>This setup link has been used. Sign in with the account that was created.</p>
          <Link to="/login" className="btn btn-primary btn-block">
            Go to sign in
          </Link>
        </div>
      </main>
    );
  }
  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title" noValidate>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" /> Mosaic
        </div>
        <h1 id="setup-title">Set up Mosaic</h1>
        <p className="muted">Create your organisation and its first Tenant Admin account. This link works once.</p>
        {!token && (
          <div className="note note-warning" role="alert">
            This page needs the one-time setup link from the server log (it ends in <code>?token=…</code>).
          </div>
        )}
        <Field label="Organisation name" error={touched && !tenantName ? 'Name your organisation.' : null}>
          <input value={tenantName} onChange={(e) => setTenantName(e.target.value)} autoComplete="organization" required autoFocus />
        </Field>
        <Field label="Admin email" error={touched && !email ? 'Enter an email.' : null}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        </Field>
        <Field label="Password" help={`At least ${MIN_PASSWORD} characters.`} error={passwordError}>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
        </Field>
        <Field label="Confirm password" error={confirmError}>
          <input type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" required />
        </Field>
        <ErrorNote error={error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !token}>
          {busy ? <Spinner label="Creating…" /> : 'Create and sign in'}
        </button>
      </form>
    </main>
  );
}
