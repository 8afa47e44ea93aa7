// Step 1 of Add provider: Anthropic, OpenAI or Azure AI Foundry, as radio cards. Each radio's
// accessible name is exactly the provider's name; the description is tied to it separately.
import { useId } from 'react';
import type { ProviderKind } from '../../../api/api-types.ts';

const CHOICES: Array<{ kind: ProviderKind; name: string; text: string }> = [
  { kind: 'anthropic', name: 'Anthropic', text: 'Claude family (Sonnet, Opus, Haiku). Key from console.anthropic.com → API Keys.' },
  { kind: 'openai', name: 'OpenAI', text: 'GPT-4o, GPT-4o-mini, o1. Key from platform.openai.com → API keys.' },
  { kind: 'azure', name: 'Azure AI Foundry', text: 'Deployments in your own Azure tenant: data residency, provisioned throughput.' },
];

export function ProviderKindChoice({ value, onChange }: { value: ProviderKind | null; onChange: (kind: ProviderKind) => void }) {
  const id = useId();
  return (
    <fieldset className="fieldset">
      <legend className="step-legend">1. Choose the provider</legend>
      <div className="choice-grid">
        {CHOICES.map((c) => (
          <div key={c.kind} className={`choice${value === c.kind ? ' choice-selected' : ''}`} onClick={() => onChange(c.kind)}>
            <input type="radio" name={`${id}-kind`} id={`${id}-${c.kind}`} value={c.kind} checked={value === c.kind} onChange={() => onChange(c.kind)} aria-describedby={`${id}-${c.kind}-text`} />
            <label htmlFor={`${id}-${c.kind}`} className="choice-name">
              {c.name}
            </label>
            <p id={`${id}-${c.kind}-text`} className="choice-text">
              {c.text}
            </p>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
