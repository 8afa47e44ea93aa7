// Admin → Users: who can sign in, with which role; add, change role, disable, reset password.
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import type { Role, User } from '../../../api/api-types.ts';
import { useSession } from '../../../app/session-context.tsx';
import { Badge } from '../../../components/badge.tsx';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';
import { useApi } from '../../../components/use-api.ts';

function usersOf(answer: unknown): User[] {
  if (Array.isArray(answer)) return answer as User[];
  const users = (answer as { users?: unknown } | null)?.users;
  return Array.isArray(users) ? (users as User[]) : [];
}

/** The one role shown and edited per user: tenant_admin wins over member; global_admin is kept as is. */
function mainRole(user: User): 'member' | 'tenant_admin' {
  return user.roles.includes('tenant_admin') ? 'tenant_admin' : 'member';
}

export function UsersPage() {
  const users = useApi<unknown>('/api/admin/users');
  const [adding, setAdding] = useState(false);
  const list = usersOf(users.data);
  return (
    <div className="page">
      <PageHeader
        title="Users"
        description="People who can sign in to Mosaic in your organisation. Tenant Admins see Admin."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add user
          </button>
        }
      />
      <ErrorNote error={users.error} onRetry={users.reload} />
      {users.loading && !users.data && <Spinner label="Loading users…" />}
      {users.data !== undefined && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <UserRow key={u.id} user={u} onChanged={users.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            users.reload();
          }}
        />
      )}
    </div>
  );
}

function UserRow({ user, onChanged }: { user: User; onChanged: () => void }) {
  const session = useSession();
  const { busy, error, run } = useAction();
  const [resetting, setResetting] = useState(false);
  const isSelf = session.user?.id === user.id;

  const patch = async (body: Record<string, unknown>) => {
    await run(async () => {
      await api(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body });
      onChanged();
    });
  };

  const changeRole = (role: 'member' | 'tenant_admin') => {
    const others = user.roles.filter((r) => r !== 'member' && r !== 'tenant_admin');
    const roles: Role[] = role === 'tenant_admin' ? ['tenant_admin', ...others] : ['member', ...others];
    void patch({ roles });
  };

  return (
    <tr>
      <td>
        {user.email} {isSelf && <span className="muted small">(you)</span>}
        {error && <ErrorNote error={error} />}
      </td>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {user.email}
        </label>
        <select id={`role-${user.id}`} value={mainRole(user)} onChange={(e) => changeRole(e.target.value as 'member' | 'tenant_admin')} disabled={busy || isSelf} title={isSelf ? 'You cannot change your own role' : undefined}>
          <option value="member">Member</option>
          <option value="tenant_admin">Tenant Admin</option>
        </select>
        {user.roles.includes('global_admin') && (
          <>
            {' '}
            <Badge tone="info">operator</Badge>
          </>
        )}
      </td>
      <td>{user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}</td>
      <td>
        <div className="button-row">
          <button type="button" className="btn btn-secondary btn-small" disabled={busy || isSelf} onClick={() => void patch({ disabled: !user.disabled })} aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}>
            {user.disabled ? 'Enable' : 'Disable'}
          </button>
          <button type="button" className="btn btn-secondary btn-small" onClick={() => setResetting(true)} aria-label={`Reset password of ${user.email}`}>
            Reset password
          </button>
          {busy && <Spinner />}
        </div>
        {resetting && <ResetPasswordDialog user={user} onClose={() => setResetting(false)} />}
      </td>
    </tr>
  );
}

function AddUserDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'member' | 'tenant_admin'>('member');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api('/api/admin/users', { method: 'POST', body: { email: email.trim(), password, role } });
      onAdded();
    });
  };

  return (
    <Dialog title="Add user" open onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <Field label="Email" error={error?.code === 'conflict' ? 'A user with this email already exists.' : null}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" autoFocus />
        </Field>
        <Field label="Initial password" help="At least 12 characters. Share it with them privately.">
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.target.value as 'member' | 'tenant_admin')}>
            <option value="member">Member — chats</option>
            <option value="tenant_admin">Tenant Admin — chats and Admin</option>
          </select>
        </Field>
        {error && error.code !== 'conflict' && <ErrorNote error={error} />}
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !email.trim() || !password}>
            Add user
          </button>
          {busy && <Spinner />}
        </div>
      </form>
    </Dialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { password } });
      setDone(true);
    });
  };

  return (
    <Dialog title={`Reset password — ${user.email}`} open onClose={onClose}>
      {done ? (
        <div className="stack">
          <div className="note note-success" role="status">
            <p className="note-message">The password was changed. Share the new one with {user.email} privately.</p>
          </div>
          <div className="button-row">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field label="New password" help="At least 12 characters.">
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" autoFocus />
          </Field>
          <ErrorNote error={error} />
          <div className="button-row">
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || !password}>
              Set password
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
