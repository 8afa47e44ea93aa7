// Rotate key: paste the new key; Mosaic tests it and keeps the old one if it fails. Afterwards it
// says which old key to revoke at the provider (the last step of the product page's rotation).
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import type { ProviderConnection } from '../../../api/api-types.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';

interface PreviousKey {
  hint: string;
  name: string | null;
  addedAt: string;
}

export function RotateKeyDialog({ provider, onClose, onRotated }: { provider: ProviderConnection; onClose: () => void; onRotated: () => void }) {
  const [apiKey, setApiKey] = useState('');
  const [keyName, setKeyName] = useState('');
  const { busy, error, run } = useAction();
  const [previous, setPrevious] = useState<PreviousKey | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!apiKey.trim()) return;
    await run(async () => {
      const answer = await api<{ provider: ProviderConnection; previousKey: PreviousKey }>(`/api/admin/ai/providers/${encodeURIComponent(provider.id)}/key`, {
        method: 'PUT',
        body: { apiKey: apiKey.trim(), ...(keyName.trim() ? { keyName: keyName.trim() } : {}) },
      });
      setApiKey('');
      setPrevious(answer.previousKey);
      onRotated();
    });
  };

  if (previous) {
    return (
      <Dialog
        title="Key rotated"
        open
        onClose={onClose}
        footer={
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <div className="note note-success" role="status">
          <p className="note-message">The new key works and is in use. Chat history is untouched.</p>
        </div>
        <p>
          <strong>
            Revoke the previous key <code>{previous.hint}</code> ({previous.name ?? 'unnamed'}) at the provider
          </strong>{' '}
          — until you do, it still works for anyone who has it.
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog title={`Rotate key — ${provider.label}`} open onClose={onClose}>
      <form onSubmit={submit} className="stack" noValidate>
        <ol className="steps-list">
          <li>Create a new key at the provider (name it e.g. mosaic-prod-2).</li>
          <li>Paste it here: Mosaic tests it before switching. If the test fails, the current key stays.</li>
          <li>Revoke the old key at the provider.</li>
        </ol>
        <p className="muted small">
          Current key: <code>{provider.key.hint}</code> {provider.key.name && <>({provider.key.name})</>}, {provider.key.ageDays <= 0 ? 'added today' : `${provider.key.ageDays} day${provider.key.ageDays === 1 ? '' : 's'} old`}.
        </p>
        <Field label="New API Key">
          <input type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoFocus />
        </Field>
        <Field label="New key name" optional>
          <input value={keyName} onChange={(e) => setKeyName(e.target.value)} placeholder="mosaic-prod" autoComplete="off" />
        </Field>
        <ErrorNote error={error} title="The key was not changed" />
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !apiKey.trim()}>
            Test and rotate
          </button>
          {busy && <Spinner label="Testing the new key…" />}
        </div>
      </form>
    </Dialog>
  );
}
