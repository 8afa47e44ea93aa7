// Personal access tokens: for scripts and tools that call Mosaic's API as this person. A new token is
// shown exactly once (the server keeps only its hash), with a copy button; tokens are listed and revocable.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/api-client.ts';
import { Badge } from '../../components/badge.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorNote } from '../../components/error-note.tsx';
import { Field } from '../../components/field.tsx';
import { formatDateTime, formatRelative } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { Spinner } from '../../components/spinner.tsx';
import { useAction } from '../../components/use-action.ts';
import { useApi } from '../../components/use-api.ts';
import { CopyButton } from './copy-button.tsx';

export interface ApiTokenRow {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

interface CreatedToken {
  id: string;
  name: string;
  token: string;
  expiresAt: string | null;
}

const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: '', label: 'Never' },
];

export function TokensPage() {
  const tokens = useApi<{ tokens: ApiTokenRow[] }>('/api/tokens');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenRow | null>(null);
  const list = tokens.data?.tokens ?? [];
  return (
    <div className="page page-narrow">
      <PageHeader
        title="Personal access tokens"
        description={
          <>
            For scripts and tools that call Mosaic’s API as you: send the token as <code>Authorization: Bearer &lt;token&gt;</code>. A token has your rights, so
            keep it secret, give it an expiry, and revoke it when it is no longer used.
          </>
        }
      />
      <CreateTokenForm onCreated={(t) => { setCreated(t); tokens.reload(); }} />
      {created && <NewTokenNote token={created} onDone={() => setCreated(null)} />}
      <section className="stack" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your tokens</h2>
        {tokens.loading && !tokens.data && <Spinner label="Loading tokens…" />}
        <ErrorNote error={tokens.error} title="Could not load your tokens" />
        {tokens.data && list.length === 0 && (
          <div className="empty-state">
            <strong>No tokens yet</strong>
            <p className="muted">Create one above when a script or tool needs to call Mosaic.</p>
          </div>
        )}
        {list.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {list.map((t) => (
                  <tr key={t.id}>
                    <td className="truncate" title={t.name}>{t.name}</td>
                    <td className="nowrap" title={formatDateTime(t.createdAt)}>{formatRelative(t.createdAt)}</td>
                    <td className="nowrap"><Expiry at={t.expiresAt} /></td>
                    <td className="nowrap" title={t.lastUsedAt ? formatDateTime(t.lastUsedAt) : undefined}>{t.lastUsedAt ? formatRelative(t.lastUsedAt) : <span className="muted">never</span>}</td>
                    <td className="num">
                      <button type="button" className="btn btn-ghost btn-small btn-danger-text" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {revoking && <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} onRevoked={() => { setRevoking(null); tokens.reload(); }} />}
    </div>
  );
}

function Expiry({ at }: { at: string | null }) {
  if (!at) return <span className="muted">never</span>;
  if (new Date(at).getTime() <= Date.now()) return <Badge tone="danger">expired</Badge>;
  return <span title={formatDateTime(at)}>{formatDateTime(at)}</span>;
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const { busy, error, run } = useAction();
  const [showErrors, setShowErrors] = useState(false);
  const nameError = !name.trim() ? 'Give the token a name, e.g. the script that uses it.' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (nameError) return;
    await run(async () => {
      const body = { name: name.trim(), ...(expiry ? { expiresInDays: Number(expiry) } : {}) };
      onCreated(await api<CreatedToken>('/api/tokens', { method: 'POST', body }));
      setName('');
      setShowErrors(false);
    });
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-token-title">
      <h2 id="new-token-title" className="card-title">New token</h2>
      <div className="field-row token-form-row">
        <Field label="Token name" error={showErrors ? nameError : null} help="What uses it, so you know which one to revoke.">
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="weekly-report-script" maxLength={100} autoComplete="off" />
        </Field>
        <Field label="Expires after" className="field-narrow">
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.value}>{c.label}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>Create token</button>
        {busy && <Spinner label="Creating…" />}
      </div>
      <ErrorNote error={error} title="No token was created" />
    </form>
  );
}

function NewTokenNote({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  return (
    <div className="note note-success" role="status" data-testid="new-token">
      <strong className="note-title">Token “{token.name}” created</strong>
      <p>Copy it now: Mosaic stores only a fingerprint of it and cannot show it again.{token.expiresAt ? ` It expires ${formatDateTime(token.expiresAt)}.` : ' It does not expire.'}</p>
      <div className="token-reveal">
        <code className="token-value" aria-label="The new token">{token.token}</code>
        <CopyButton text={token.token} label="Copy token" />
      </div>
      <div>
        <button type="button" className="btn btn-secondary btn-small" onClick={onDone}>I have copied it</button>
      </div>
    </div>
  );
}

function RevokeTokenDialog({ token, onClose, onRevoked }: { token: ApiTokenRow; onClose: () => void; onRevoked: () => void }) {
  const { busy, error, run } = useAction();
  const revoke = () =>
    run(async () => {
      await api(`/api/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
      onRevoked();
    });
  return (
    <Dialog
      title={`Revoke “${token.name}”?`}
      tone="danger"
      open
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>Cancel</button>
          <button type="button" className="btn btn-danger" onClick={() => void revoke()} disabled={busy}>
            {busy ? <Spinner label="Revoking…" /> : 'Revoke token'}
          </button>
        </>
      }
    >
      <p>Anything that uses this token is refused from now on. This cannot be undone.</p>
      <ErrorNote error={error} title="Not revoked" />
    </Dialog>
  );
}
