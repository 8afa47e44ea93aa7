// One provider connection: key hint, name and age, models, active badge, last test, and its actions.
import { useState } from 'react';
import { api } from '../../../api/api-client.ts';
import { asApiError, type ApiError } from '../../../api/api-error.ts';
import type { ProviderConnection, TestResult } from '../../../api/api-types.ts';
import { Badge } from '../../../components/badge.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { formatAgeDays, formatDateTime, formatMs, formatNumber, formatRelative, providerName } from '../../../components/format.ts';
import { DeleteProviderDialog } from './delete-provider-dialog.tsx';
import { EditProviderDialog } from './edit-provider-dialog.tsx';
import { RotateKeyDialog } from './rotate-key-dialog.tsx';
import { IDLE_TEST, TestResultView, type TestState } from './test-result-view.tsx';

export interface ProviderCardProps {
  provider: ProviderConnection;
  others: ProviderConnection[];
  onChanged: (message?: string) => void;
}

type OpenDialog = 'rotate' | 'edit' | 'delete' | null;

export function ProviderCard({ provider: p, others, onChanged }: ProviderCardProps) {
  const [test, setTest] = useState<TestState>(IDLE_TEST);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [activating, setActivating] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const runTest = async () => {
    setTest({ running: true, result: null, error: null });
    try {
      const result = await api<TestResult>('/api/admin/ai/test', { method: 'POST', body: { providerId: p.id } });
      setTest({ running: false, result, error: null });
      onChanged(); // the card's "last test" changed
    } catch (error) {
      setTest({ running: false, result: null, error: asApiError(error) });
    }
  };

  const activate = async () => {
    setActivating(true);
    setActionError(null);
    try {
      await api(`/api/admin/ai/providers/${encodeURIComponent(p.id)}/activate`, { method: 'POST', body: {} });
      onChanged(`${p.label} is now the active provider. New chats use it; in-flight chats finish on theirs.`);
    } catch (error) {
      setActionError(asApiError(error));
    } finally {
      setActivating(false);
    }
  };

  const deployments = p.azure ? Object.entries(p.azure.modelOf) : [];
  return (
    <article className={`card provider-card${p.active ? ' provider-active' : ''}`} aria-labelledby={`provider-${p.id}`}>
      <header className="card-header">
        <div>
          <h2 id={`provider-${p.id}`} className="card-title">
            {p.label}
          </h2>
          <div className="muted small">{providerName(p.kind)}</div>
        </div>
        <div className="badges">
          {p.active && <Badge tone="success">Active</Badge>}
          {p.key.rotationDue && (
            <Badge tone="warning" title="The key is 90 days old or more: rotate it">
              Rotation due
            </Badge>
          )}
        </div>
      </header>
      <dl className="facts">
        <div>
          <dt>API key</dt>
          <dd>
            <code>{p.key.hint}</code>
          </dd>
        </div>
        <div>
          <dt>Key name</dt>
          <dd>{p.key.name ?? <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Key age</dt>
          <dd title={`Added ${formatDateTime(p.key.addedAt)}`}>
            {formatAgeDays(p.key.ageDays)}
          </dd>
        </div>
        <div>
          <dt>Default model</dt>
          <dd>
            <code>{p.models.orchestrator}</code>
          </dd>
        </div>
        <div>
          <dt>Fast model</dt>
          <dd>
            <code>{p.models.fast}</code>
          </dd>
        </div>
        {p.kind !== 'azure' && (
          <div>
            <dt>Base URL</dt>
            <dd>{p.baseUrl ? <code>{p.baseUrl}</code> : <span className="muted">default</span>}</dd>
          </div>
        )}
        {p.azure && (
          <>
            <div>
              <dt>Endpoint</dt>
              <dd>
                <code>{p.azure.endpoint}</code> <span className="muted small">({p.azure.apiStyle}{p.azure.apiVersion ? `, ${p.azure.apiVersion}` : ''})</span>
              </dd>
            </div>
            <div>
              <dt>Deployments</dt>
              <dd>
                {deployments.map(([name, model]) => (
                  <div key={name}>
                    <code>{name}</code> <span className="muted small">runs {model}</span>
                  </div>
                ))}
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>Chats in flight</dt>
          <dd title="Open chats active in the last while, or with an answer being written: they finish on this provider">
            {p.inFlightSessions > 0 ? formatNumber(p.inFlightSessions) : <span className="muted">none</span>}
          </dd>
        </div>
        <div>
          <dt>Last test</dt>
          <dd>
            {p.lastTest ? (
              <>
                <Badge tone={p.lastTest.ok ? 'success' : 'danger'}>{p.lastTest.ok ? 'OK' : 'Failed'}</Badge>{' '}
                {p.lastTest.ok ? formatMs(p.lastTest.latencyMs) : <code>{p.lastTest.code}</code>}{' '}
                <span className="muted small" title={formatDateTime(p.lastTest.at)}>
                  {formatRelative(p.lastTest.at)}
                </span>
              </>
            ) : (
              <span className="muted">never</span>
            )}
          </dd>
        </div>
      </dl>
      <div className="button-row card-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void runTest()} disabled={test.running}>
          Test connection
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setDialog('rotate')}>
          Rotate key
        </button>
        {!p.active && (
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void activate()} disabled={activating}>
            {activating ? 'Activating…' : 'Make active'}
          </button>
        )}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setDialog('edit')}>
          Edit models
        </button>
        <button type="button" className="btn btn-ghost btn-small btn-danger-text" onClick={() => setDialog('delete')}>
          Delete
        </button>
      </div>
      <TestResultView state={test} />
      <ErrorNote error={actionError} />
      {dialog === 'rotate' && <RotateKeyDialog provider={p} onClose={() => setDialog(null)} onRotated={() => onChanged()} />}
      {dialog === 'edit' && <EditProviderDialog provider={p} onClose={() => setDialog(null)} onSaved={(m) => onChanged(m)} />}
      {dialog === 'delete' && <DeleteProviderDialog provider={p} others={others} onClose={() => setDialog(null)} onDeleted={(m) => onChanged(m)} />}
    </article>
  );
}
