// Admin → AI Configuration: the provider connections, which one is active, and the kill switch.
import { useState } from 'react';
import type { ProvidersResponse } from '../../../api/api-types.ts';
import { navigate } from '../../../app/router.tsx';
import { Badge } from '../../../components/badge.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { takeFlash } from '../../../components/flash.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useApi } from '../../../components/use-api.ts';
import { ProviderCard } from './provider-card.tsx';
import { TurnAiOff } from './turn-ai-off.tsx';

export function AiConfigPage() {
  const providers = useApi<ProvidersResponse>('/api/admin/ai/providers');
  const [flash, setFlashState] = useState<string | null>(() => takeFlash());
  const list = providers.data?.providers ?? [];
  const active = list.find((p) => p.active) ?? null;

  const changed = (message?: string) => {
    if (message) setFlashState(message);
    providers.reload();
  };

  return (
    <div className="page">
      <PageHeader
        title="AI Configuration"
        description="The LLM provider Mosaic routes every chat and agent run through. New chat sessions use the active provider; in-flight sessions finish on the one they started with."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => navigate('/admin/ai-configuration/new')}>
            Add provider
          </button>
        }
      />
      {flash && (
        <div className="note note-success note-row" role="status">
          <p className="note-message">{flash}</p>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setFlashState(null)}>
            Dismiss
          </button>
        </div>
      )}
      {providers.loading && !providers.data && <Spinner label="Loading providers…" />}
      <ErrorNote error={providers.error} onRetry={providers.reload} />
      {providers.data && (
        <div className="status-line" aria-live="polite">
          {active ? (
            <>
              <Badge tone="success">AI is on</Badge> New chats use <strong>{active.label}</strong> · <code>{active.models.orchestrator}</code>
            </>
          ) : (
            <>
              <Badge tone="warning">AI is off</Badge> No provider is active: people who open a chat are told to ask a Tenant Admin.
              {list.length === 0 && ' Add a provider to turn it on.'}
            </>
          )}
        </div>
      )}
      {providers.data && list.length === 0 && (
        <div className="empty-state">
          <h2>No provider yet</h2>
          <p className="muted">Bring your own Anthropic, OpenAI or Azure AI Foundry key. Mosaic stores it encrypted.</p>
        </div>
      )}
      <div className="provider-list">
        {list.map((p) => (
          <ProviderCard key={p.id} provider={p} others={list.filter((o) => o.id !== p.id)} onChanged={changed} />
        ))}
      </div>
      {active && <TurnAiOff onDone={() => changed('AI is off. New chats are refused; answers being written were stopped.')} />}
    </div>
  );
}
