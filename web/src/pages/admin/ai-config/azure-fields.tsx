// Azure AI Foundry: the endpoint, the API style, and the deployments typed with the model each runs
// (Mosaic prices calls by that model).
import type { AzureApiStyle } from '../../../api/api-types.ts';
import { Field } from '../../../components/field.tsx';

export interface AzureDeployment {
  name: string;
  model: string;
}

export interface AzureForm {
  endpoint: string;
  apiStyle: AzureApiStyle;
  apiVersion: string;
  deployments: AzureDeployment[];
}

export const EMPTY_AZURE: AzureForm = { endpoint: '', apiStyle: 'openai', apiVersion: '', deployments: [{ name: '', model: '' }] };

/** The contract's `azure` object from the form. */
export function toAzureSettings(form: AzureForm) {
  const modelOf: Record<string, string> = {};
  for (const d of form.deployments) if (d.name.trim()) modelOf[d.name.trim()] = d.model.trim();
  return { endpoint: form.endpoint.trim(), apiStyle: form.apiStyle, apiVersion: form.apiVersion.trim() || null, modelOf };
}

export function AzureFields({ value, onChange, errors }: { value: AzureForm; onChange: (v: AzureForm) => void; errors: { endpoint?: string | null } }) {
  const setDeployment = (index: number, patch: Partial<AzureDeployment>) =>
    onChange({ ...value, deployments: value.deployments.map((d, i) => (i === index ? { ...d, ...patch } : d)) });
  return (
    <div className="stack">
      <Field label="Endpoint" help="Your Foundry resource’s endpoint, e.g. https://my-resource.services.ai.azure.com" error={errors.endpoint}>
        <input type="url" value={value.endpoint} onChange={(e) => onChange({ ...value, endpoint: e.target.value })} placeholder="https://my-resource.services.ai.azure.com" autoComplete="off" spellCheck={false} />
      </Field>
      <div className="field-row">
        <Field label="API style" help="How the deployments are called.">
          <select value={value.apiStyle} onChange={(e) => onChange({ ...value, apiStyle: e.target.value as AzureApiStyle })}>
            <option value="openai">openai (Azure OpenAI / chat completions)</option>
            <option value="anthropic">anthropic (Claude on Foundry / messages)</option>
          </select>
        </Field>
        <Field label="API version" optional help="Leave empty for the default.">
          <input value={value.apiVersion} onChange={(e) => onChange({ ...value, apiVersion: e.target.value })} placeholder="2024-10-21" autoComplete="off" spellCheck={false} />
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>Deployments</legend>
        <p className="field-help">Type each deployment’s name as it appears in Foundry, and the model it runs (for cost tracking).</p>
        {value.deployments.map((d, i) => (
          <div className="field-row deployment-row" key={i}>
            <Field label={`Deployment ${i + 1} name`}>
              <input value={d.name} onChange={(e) => setDeployment(i, { name: e.target.value })} placeholder="gpt-4o-prod" autoComplete="off" spellCheck={false} />
            </Field>
            <Field label={`Deployment ${i + 1} runs model`}>
              <input value={d.model} onChange={(e) => setDeployment(i, { model: e.target.value })} placeholder="gpt-4o" autoComplete="off" spellCheck={false} />
            </Field>
            {value.deployments.length > 1 && (
              <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove deployment ${i + 1}`} onClick={() => onChange({ ...value, deployments: value.deployments.filter((_, j) => j !== i) })}>
                Remove
              </button>
            )}
          </div>
        ))}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange({ ...value, deployments: [...value.deployments, { name: '', model: '' }] })}>
          Add deployment
        </button>
      </fieldset>
    </div>
  );
}
