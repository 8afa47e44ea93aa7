// Add provider, in the product page's order: provider → API Key → Default model / Fast model →
// Test connection → Save. The key lives only in this form's state until Save; it is never shown again.
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import { asApiError, type ApiError } from '../../../api/api-error.ts';
import type { CatalogModel, ProviderConnection, ProviderKind, ProvidersResponse, TestResult } from '../../../api/api-types.ts';
import { Link, navigate } from '../../../app/router.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { setFlash } from '../../../components/flash.ts';
import { providerName } from '../../../components/format.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useApi } from '../../../components/use-api.ts';
import { AzureFields, EMPTY_AZURE, toAzureSettings, type AzureForm } from './azure-fields.tsx';
import { defaultFor, ROLE_TEXT } from './model-choices.ts';
import { ModelPicker } from './model-picker.tsx';
import { ProviderKindChoice } from './provider-kind-choice.tsx';
import { IDLE_TEST, TestResultView, type TestState } from './test-result-view.tsx';
import { useModelList } from './use-model-list.ts';

const KEY_SOURCES: Record<ProviderKind, string> = {
  anthropic: 'Create it at console.anthropic.com → API Keys.',
  openai: 'Create it at platform.openai.com → API keys.',
  azure: 'From your Foundry resource: Keys and Endpoint.',
};

const BASE_URL_PLACEHOLDER: Record<ProviderKind, string> = {
  anthropic: 'https://api.anthropic.com',
  openai: 'https://api.openai.com/v1',
  azure: '',
};

export function AddProviderPage() {
  const providers = useApi<ProvidersResponse>('/api/admin/ai/providers');
  const [kind, setKind] = useState<ProviderKind | null>(null);
  const [apiKey, setApiKey] = useState('');
  const [keyName, setKeyName] = useState('');
  const [label, setLabel] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [azure, setAzure] = useState<AzureForm>(EMPTY_AZURE);
  const [orchestrator, setOrchestrator] = useState('');
  const [fast, setFast] = useState('');
  const [activate, setActivate] = useState(false);
  const [test, setTest] = useState<TestState>(IDLE_TEST);
  const [testedFor, setTestedFor] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [showErrors, setShowErrors] = useState(false);

  const isAzure = kind === 'azure';
  const listRequest = kind && !isAzure && apiKey.trim().length >= 8 ? { kind, apiKey: apiKey.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) } : null;
  const modelList = useModelList(listRequest, (models: CatalogModel[]) => {
    // Preselect the recommended models, but never overwrite a choice the admin already made.
    setOrchestrator((current) => current || defaultFor(models, 'orchestrator'));
    setFast((current) => current || defaultFor(models, 'fast'));
  });
  const azureModels: CatalogModel[] = azure.deployments
    .filter((d) => d.name.trim())
    .map((d) => ({ id: d.name.trim(), displayName: d.model.trim() ? `${d.name.trim()} — runs ${d.model.trim()}` : d.name.trim(), recommendedFor: [] }));

  const chooseKind = (next: ProviderKind) => {
    if (next === kind) return;
    setKind(next);
    setOrchestrator('');
    setFast('');
    setBaseUrl('');
    setTest(IDLE_TEST);
    setSaveError(null);
  };

  /** The request body shared by Test connection and Save. */
  const connection = () => ({
    kind,
    apiKey: apiKey.trim(),
    ...(!isAzure && baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
    ...(isAzure ? { azure: toAzureSettings(azure) } : {}),
  });
  const fingerprint = JSON.stringify({ ...connection(), orchestrator });

  const errors = {
    apiKey: !apiKey.trim() ? 'Paste the API Key.' : null,
    orchestrator: !orchestrator ? 'Choose the Default model.' : null,
    endpoint: isAzure && !azure.endpoint.trim() ? 'Enter the endpoint.' : null,
  };
  const hasErrors = Object.values(errors).some(Boolean);

  const runTest = async () => {
    setShowErrors(true);
    if (hasErrors) return;
    setTest({ running: true, result: null, error: null });
    setTestedFor(fingerprint);
    try {
      const result = await api<TestResult>('/api/admin/ai/test', { method: 'POST', body: { ...connection(), model: orchestrator } });
      setTest({ running: false, result, error: null });
    } catch (error) {
      setTest({ running: false, result: null, error: asApiError(error) });
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setShowErrors(true);
    if (hasErrors || !kind) return;
    setSaving(true);
    setSaveError(null);
    try {
      const body = {
        ...connection(),
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(keyName.trim() ? { keyName: keyName.trim() } : {}),
        models: { orchestrator, ...(fast ? { fast } : {}) },
        ...(activate ? { activate: true } : {}),
      };
      const { provider } = await api<{ provider: ProviderConnection }>('/api/admin/ai/providers', { method: 'POST', body });
      setApiKey('');
      setFlash(
        provider.active
          ? `Saved. ${provider.label} is the active provider: new chats use ${provider.models.orchestrator}.`
          : `Saved ${provider.label}. It is not active; use “Make active” to switch new chats to it.`,
      );
      navigate('/admin/ai-configuration');
    } catch (error) {
      setSaveError(asApiError(error));
    } finally {
      setSaving(false);
    }
  };

  const activeProvider = providers.data?.providers.find((p) => p.active) ?? null;
  const stale = testedFor !== null && testedFor !== fingerprint && !test.running;

  return (
    <div className="page page-narrow">
      <PageHeader
        title="Add provider"
        description={
          <>
            Connect Mosaic to your LLM provider. Inference is billed by the provider, against your account. <Link to="/admin/ai-configuration">Back to AI Configuration</Link>
          </>
        }
      />
      <form className="stack-lg" onSubmit={save} noValidate>
        <ProviderKindChoice value={kind} onChange={chooseKind} />

        {kind && (
          <>
            <fieldset className="fieldset">
              <legend className="step-legend">2. Paste the API Key</legend>
              <Field
                label="API Key"
                help={
                  <>
                    {KEY_SOURCES[kind]} Scope it to inference only and set a usage cap. Mosaic stores it encrypted and never shows it again after saving.
                  </>
                }
                error={showErrors ? errors.apiKey : null}
              >
                <input type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} data-1p-ignore="true" data-lpignore="true" />
              </Field>
              <div className="field-row">
                <Field label="Key name" optional help="The name you gave the key at the provider, to find it when you rotate or revoke it.">
                  <input value={keyName} onChange={(e) => setKeyName(e.target.value)} placeholder="mosaic-prod" autoComplete="off" />
                </Field>
                <Field label="Label" optional help="How this connection is listed in Mosaic.">
                  <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder={`${providerName(kind)} (production)`} autoComplete="off" />
                </Field>
              </div>
              {isAzure && <AzureFields value={azure} onChange={setAzure} errors={{ endpoint: showErrors ? errors.endpoint : null }} />}
              {!isAzure && (
                <details className="advanced">
                  <summary>Advanced settings</summary>
                  <Field label="Base URL" optional help="Only for an egress proxy or gateway. Leave empty to use the provider’s public API (or the operator’s default).">
                    <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder={BASE_URL_PLACEHOLDER[kind]} autoComplete="off" spellCheck={false} />
                  </Field>
                </details>
              )}
              {modelList.status === 'failed' && <ErrorNote error={modelList.error} title="Mosaic could not list the models with this key" />}
            </fieldset>

            <fieldset className="fieldset">
              <legend className="step-legend">3. Pick the models</legend>
              <div className="field-row">
                <ModelPicker
                  label="Default model"
                  role="orchestrator"
                  value={orchestrator}
                  onChange={setOrchestrator}
                  models={isAzure ? azureModels : modelList.models}
                  status={isAzure ? (azureModels.length > 0 ? 'loaded' : 'idle') : modelList.status}
                  idleText={isAzure ? 'Type a deployment above first' : 'Paste the API Key to load the models'}
                  help={`For ${ROLE_TEXT.orchestrator}.${isAzure ? ' A deployment name.' : ''}`}
                  error={showErrors ? errors.orchestrator : null}
                  placeholder={kind === 'anthropic' ? 'claude-sonnet-4-5' : kind === 'openai' ? 'gpt-4o' : 'deployment name'}
                />
                <ModelPicker
                  label="Fast model"
                  role="fast"
                  value={fast}
                  onChange={setFast}
                  models={isAzure ? azureModels : modelList.models}
                  status={isAzure ? (azureModels.length > 0 ? 'loaded' : 'idle') : modelList.status}
                  idleText={isAzure ? 'Type a deployment above first' : 'Paste the API Key to load the models'}
                  // Saving without a fast model lets the server pick the recommended one (Azure: a deployment
                  // running a fast-class model, else the default model's): say that, not "same as".
                  emptyOption={isAzure ? 'Recommended: a fast deployment, else the default model' : 'Recommended fast model'}
                  help={`For ${ROLE_TEXT.fast}. Optional.`}
                  placeholder={kind === 'anthropic' ? 'claude-haiku-4-5' : kind === 'openai' ? 'gpt-4o-mini' : 'deployment name'}
                />
              </div>
            </fieldset>

            <fieldset className="fieldset">
              <legend className="step-legend">4. Test and save</legend>
              <p className="field-help">Test connection sends a tiny prompt to the Default model and checks the answer. Save tests again and stores nothing if it fails.</p>
              {activeProvider ? (
                <label className="checkbox">
                  <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} />
                  Make it the active provider now (currently {activeProvider.label}; in-flight chats finish on theirs)
                </label>
              ) : (
                providers.data && <p className="field-help">No provider is active yet: this one becomes active, and new chats use it.</p>
              )}
              <div className="button-row">
                <button type="button" className="btn btn-secondary" onClick={() => void runTest()} disabled={test.running || saving}>
                  Test connection
                </button>
                <button type="submit" className="btn btn-primary" disabled={saving || test.running}>
                  Save
                </button>
                {saving && <Spinner label="Testing and saving…" />}
              </div>
              {stale && <p className="field-help">The settings changed since the last test; test again to be sure.</p>}
              <TestResultView state={test} />
              {saveError && <ErrorNote error={saveError} title="Not saved" />}
            </fieldset>
          </>
        )}
      </form>
    </div>
  );
}
