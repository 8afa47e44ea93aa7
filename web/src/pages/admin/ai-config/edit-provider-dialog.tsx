// Edit models (and the label): changed models are tested by Mosaic before they are stored.
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import type { CatalogModel, ProviderConnection } from '../../../api/api-types.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';
import { ROLE_TEXT } from './model-choices.ts';
import { ModelPicker } from './model-picker.tsx';
import { useModelList } from './use-model-list.ts';

export function EditProviderDialog({ provider, onClose, onSaved }: { provider: ProviderConnection; onClose: () => void; onSaved: (message: string) => void }) {
  const [label, setLabel] = useState(provider.label);
  const [orchestrator, setOrchestrator] = useState(provider.models.orchestrator);
  const [fast, setFast] = useState(provider.models.fast);
  const { busy, error, run } = useAction();
  const isAzure = provider.kind === 'azure';
  const list = useModelList(isAzure ? null : { providerId: provider.id });
  const models: CatalogModel[] = isAzure
    ? Object.entries(provider.azure?.modelOf ?? {}).map(([name, model]) => ({ id: name, displayName: `${name} — runs ${model}`, recommendedFor: [] }))
    : list.models;
  const status = isAzure ? 'loaded' : list.status;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!orchestrator) return;
    await run(async () => {
      const body: Record<string, unknown> = { models: { orchestrator, fast: fast || orchestrator } };
      if (label.trim() && label.trim() !== provider.label) body.label = label.trim();
      await api(`/api/admin/ai/providers/${encodeURIComponent(provider.id)}`, { method: 'PATCH', body });
      onSaved(`Saved ${label.trim() || provider.label}: Default model ${orchestrator}, Fast model ${fast || orchestrator}.`);
      onClose();
    });
  };

  return (
    <Dialog title={`Edit models — ${provider.label}`} open onClose={onClose}>
      <form onSubmit={submit} className="stack" noValidate>
        <Field label="Label">
          <input value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
        </Field>
        <ModelPicker label="Default model" role="orchestrator" value={orchestrator} onChange={setOrchestrator} models={models} status={status} idleText="Loading the provider’s models…" help={`For ${ROLE_TEXT.orchestrator}.`} error={!orchestrator ? 'Choose the Default model.' : null} />
        <ModelPicker label="Fast model" role="fast" value={fast} onChange={setFast} models={models} status={status} idleText="Loading the provider’s models…" emptyOption="Same as the default model" help={`For ${ROLE_TEXT.fast}.`} />
        {list.status === 'failed' && <ErrorNote error={list.error} title="Mosaic could not list the models" />}
        <p className="muted small">Changed models are tested before they are saved; nothing changes if the test fails. Chats in flight keep the models they started with.</p>
        <ErrorNote error={error} title="Not saved" />
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !orchestrator}>
            Save changes
          </button>
          {busy && <Spinner label="Testing and saving…" />}
        </div>
      </form>
    </Dialog>
  );
}
