// "Default model" / "Fast model": a select filled from the provider's own list (recommended first),
// or a text field when the list is not available or the admin wants a model that is not listed.
// Exactly one control carries the label at any time, so the label always finds it.
import { useState } from 'react';
import type { CatalogModel } from '../../../api/api-types.ts';
import { Field } from '../../../components/field.tsx';
import { sortForRole, type ModelRole } from './model-choices.ts';

const CUSTOM = '__custom__';

export type ModelListStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface ModelPickerProps {
  label: string;
  role: ModelRole;
  value: string;
  onChange: (value: string) => void;
  models: CatalogModel[];
  status: ModelListStatus;
  /** What the disabled select says before there is a list ("Paste the API Key first"). */
  idleText: string;
  /** For Fast model: an empty value means "same as the default model". */
  emptyOption?: string;
  help?: string;
  error?: string | null;
  placeholder?: string;
}

export function ModelPicker(props: ModelPickerProps) {
  const { label, role, value, onChange, models, status, idleText, emptyOption, help, error, placeholder } = props;
  const [typing, setTyping] = useState(false);
  const listed = models.some((m) => m.id === value);
  const useText = status === 'failed' || typing || (status === 'loaded' && models.length === 0) || (status === 'loaded' && value !== '' && !listed);

  if (useText) {
    return (
      <div className="model-picker">
        <Field label={label} help={help} error={error}>
          <input value={value} onChange={(e) => onChange(e.target.value.trim())} placeholder={placeholder} autoComplete="off" spellCheck={false} />
        </Field>
        {status === 'loaded' && models.length > 0 && (
          <button
            type="button"
            className="btn btn-link btn-small"
            onClick={() => {
              setTyping(false);
              if (!listed) onChange('');
            }}
          >
            Choose from the provider’s list
          </button>
        )}
      </div>
    );
  }

  if (status !== 'loaded') {
    return (
      <div className="model-picker">
        <Field label={label} help={help} error={error}>
          <select disabled value="">
            <option value="">{status === 'loading' ? 'Loading the provider’s models…' : idleText}</option>
          </select>
        </Field>
      </div>
    );
  }

  const { recommended, others } = sortForRole(models, role);
  return (
    <div className="model-picker">
      <Field label={label} help={help} error={error}>
        <select
          value={value}
          onChange={(e) => {
            if (e.target.value === CUSTOM) {
              setTyping(true);
              onChange('');
            } else onChange(e.target.value);
          }}
        >
          {emptyOption !== undefined ? <option value="">{emptyOption}</option> : <option value="" disabled>Choose a model…</option>}
          {recommended.length > 0 && (
            <optgroup label={`Recommended for ${role === 'orchestrator' ? 'the orchestrator' : 'cheap flows'}`}>
              {recommended.map((m) => (
                <option key={m.id} value={m.id}>
                  {optionText(m)} — recommended
                </option>
              ))}
            </optgroup>
          )}
          {others.length > 0 && (
            <optgroup label={recommended.length > 0 ? 'Other models' : 'Models'}>
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {optionText(m)}
                </option>
              ))}
            </optgroup>
          )}
          <option value={CUSTOM}>Type a model name…</option>
        </select>
      </Field>
    </div>
  );
}

function optionText(model: CatalogModel): string {
  // An Azure deployment's name already leads its display name ("gpt-4o-prod — runs gpt-4o"): no id repeated.
  if (!model.displayName || model.displayName === model.id || model.displayName.startsWith(`${model.id} `)) return model.displayName || model.id;
  return `${model.displayName} (${model.id})`;
}
