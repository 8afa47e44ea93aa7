// Delete a provider. While in-flight chats are pinned to it, Mosaic refuses (409 provider_in_use); the
// card's count shows them up front, so the admin is offered to move them to another provider and delete
// in one step before a refusal, and after one (a chat that started since the page loaded).
import { useState } from 'react';
import { api, query } from '../../../api/api-client.ts';
import type { ProviderConnection } from '../../../api/api-types.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { formatNumber, providerName } from '../../../components/format.ts';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';

export function DeleteProviderDialog(props: { provider: ProviderConnection; others: ProviderConnection[]; onClose: () => void; onDeleted: (message: string) => void }) {
  const { provider, others, onClose, onDeleted } = props;
  const { busy, error, run } = useAction();
  const [moveTo, setMoveTo] = useState(others[0]?.id ?? '');
  const inUse = error?.code === 'provider_in_use';
  const pinned = provider.inFlightSessions > 0 || inUse;
  const canMove = pinned && !provider.active && others.length > 0;
  const one = provider.inFlightSessions === 1;

  const remove = async (moveSessionsTo?: string) => {
    await run(async () => {
      await api(`/api/admin/ai/providers/${encodeURIComponent(provider.id)}${query({ moveSessionsTo })}`, { method: 'DELETE' });
      const target = others.find((o) => o.id === moveSessionsTo);
      onDeleted(target ? `Deleted ${provider.label}; its in-flight chats continue on ${target.label}.` : `Deleted ${provider.label}.`);
      onClose();
    });
  };

  return (
    <Dialog
      title={`Delete ${provider.label}?`}
      tone="danger"
      open
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          {canMove ? (
            <button type="button" className="btn btn-danger" disabled={busy || !moveTo} onClick={() => void remove(moveTo)}>
              Move chats and delete
            </button>
          ) : (
            <button type="button" className="btn btn-danger" disabled={busy || inUse} onClick={() => void remove()}>
              Delete
            </button>
          )}
          {busy && <Spinner label="Deleting…" />}
        </>
      }
    >
      <p>
        The connection and its encrypted key are removed from Mosaic. Chat history stays. Remember to revoke the key <code>{provider.key.hint}</code> at {providerName(provider.kind)} too.
      </p>
      {provider.active && !inUse && (
        <div className="note note-warning">
          <p className="note-message">This is the active provider. Make another provider active first (or turn AI off), then delete it.</p>
        </div>
      )}
      {pinned && !inUse && !provider.active && (
        <div className="note note-info">
          <p className="note-message">
            {one ? '1 chat in flight uses' : `${formatNumber(provider.inFlightSessions)} chats in flight use`} this provider.{' '}
            {others.length === 0
              ? `Add another provider to move ${one ? 'it' : 'them'} to, or wait until ${one ? 'it finishes' : 'they finish'} (idle chats end on their own).`
              : one
                ? 'Move it to another provider below; it continues there from its next message.'
                : 'Move them to another provider below; they continue there from their next message.'}
          </p>
        </div>
      )}
      {inUse ? (
        <div className="note note-error" role="alert">
          <strong className="note-title">Not deleted: chats in flight still use it</strong>
          <p className="note-message">{error?.message}</p>
          <p className="note-hint">
            {provider.active
              ? 'It is the active provider: make another provider active (or turn AI off) first.'
              : others.length > 0
                ? 'Move those chats to another provider below; they continue there from their next message.'
                : 'Add another provider to move those chats to, or wait until they finish (idle chats end on their own).'}
          </p>
          <p className="note-code">
            <code>{error?.code}</code>
          </p>
        </div>
      ) : (
        <ErrorNote error={error} title="Not deleted" />
      )}
      {canMove && (
        <Field label="Move the in-flight chats to" help="Those chats continue on this provider from their next message.">
          <select value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label} ({providerName(o.kind)}){o.active ? ' — active' : ''}
              </option>
            ))}
          </select>
        </Field>
      )}
    </Dialog>
  );
}
