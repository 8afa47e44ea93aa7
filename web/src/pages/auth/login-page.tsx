// Sign in: email + password; wrong credentials and throttling are explained next to the form.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/api-client.ts';
import type { ApiError } from '../../api/api-error.ts';
import type { MeResponse } from '../../api/api-types.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session-context.tsx';
import { Field } from '../../components/field.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useAction } from '../../components/use-action.ts';

/** Where to go after signing in: only a same-site path, never an absolute URL (open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { signedIn } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const answer = await api<MeResponse>('/api/auth/login', { method: 'POST', body: { email, password } });
      signedIn(answer);
      navigate(safeNext(search.get('next')), { replace: true });
    });
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" /> Mosaic
        </div>
        <h1 id="login-title">Sign in</h1>
        <Field label="Email">
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <Field label="Password">
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {error && <LoginError error={error} />}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email || !password}>
          {busy ? <Spinner label="Signing in…" /> : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function LoginError({ error }: { error: ApiError }) {
  let text = error.message;
  if (error.code === 'invalid_credentials') text = 'That email and password do not match an account.';
  if (error.code === 'too_many_requests') {
    const wait = error.retryAfter;
    const minutes = wait !== null ? Math.max(1, Math.ceil(wait / 60)) : null;
    text = `Too many failed attempts. ${minutes !== null ? `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` : 'Wait a few minutes and try again.'}`;
  }
  return (
    <div className="note note-error" role="alert">
      <p className="note-message">{text}</p>
      {error.hint && <p className="note-hint">{error.hint}</p>}
      <p className="note-code">
        <code>{error.code}</code>
      </p>
    </div>
  );
}
