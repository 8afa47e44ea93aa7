// Admin → Usage & limits: month-to-date spend by model and by user, and the budget settings.
import type { Limits, UsageResponse, UsageRow } from '../../../api/api-types.ts';
import { ErrorNote } from '../../../components/error-note.tsx';
import { formatNumber, formatUsd } from '../../../components/format.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useApi } from '../../../components/use-api.ts';
import { SpendMeter } from '../overview/spend-meter.tsx';
import { LimitsForm } from './limits-form.tsx';

function spentOf(row: UsageRow): number | null {
  return row.spentUsd ?? row.costUsd ?? null;
}

function userOf(row: UsageRow): string {
  if (typeof row.user === 'object' && row.user) return row.user.email;
  return String(row.email ?? row.user ?? row.userId ?? '—');
}

export function UsagePage() {
  const usage = useApi<UsageResponse>('/api/admin/ai/usage');
  const limits = useApi<Limits>('/api/admin/ai/limits');
  const u = usage.data;
  return (
    <div className="page">
      <PageHeader title="Usage & limits" description="What AI cost this month, and the limits that keep it in check. Your provider bills you; Mosaic tracks and caps the spend." />
      <ErrorNote error={usage.error} onRetry={usage.reload} />
      {usage.loading && !u && <Spinner label="Loading usage…" />}
      {u && (
        <section className="card">
          <h2 className="card-title">Spend this month</h2>
          <SpendMeter usage={u} />
        </section>
      )}
      {u && (
        <div className="grid-2">
          <UsageTable title="By model" rows={u.byModel} nameHeader="Model" name={(r) => String(r.model ?? '—')} />
          <UsageTable title="By user" rows={u.byUser} nameHeader="User" name={userOf} />
        </div>
      )}
      <section className="card">
        <ErrorNote error={limits.error} onRetry={limits.reload} />
        {limits.data ? <LimitsForm limits={limits.data} onSaved={() => { limits.reload(); usage.reload(); }} /> : !limits.error && <Spinner label="Loading limits…" />}
      </section>
    </div>
  );
}

function UsageTable({ title, rows, nameHeader, name }: { title: string; rows: UsageRow[]; nameHeader: string; name: (r: UsageRow) => string }) {
  return (
    <section className="card" aria-label={`Spend ${title.toLowerCase()}`}>
      <h2 className="card-title">{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing spent yet this month.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{nameHeader}</th>
                <th scope="col" className="num">Tokens in</th>
                <th scope="col" className="num">Tokens out</th>
                <th scope="col" className="num">Spend</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td className="truncate">{nameHeader === 'Model' ? <code>{name(r)}</code> : name(r)}</td>
                  <td className="num">{formatNumber(r.inputTokens)}</td>
                  <td className="num">{formatNumber(r.outputTokens)}</td>
                  <td className="num">{formatUsd(spentOf(r))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
