// Admin → Overview: the figures for a period, sessions per day, this month's spend against the budget,
// and the most recent sessions.
import { useState } from 'react';
import type { Overview, UsageResponse } from '../../../api/api-types.ts';
import { Link } from '../../../app/router.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { formatMs, formatNumber, formatPct, formatUsd } from '../../../components/format.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useApi } from '../../../components/use-api.ts';
import { SessionsTable } from '../sessions/sessions-table.tsx';
import { BarChart } from './bar-chart.tsx';
import { RotationDueNote } from './rotation-due-note.tsx';
import { SpendMeter } from './spend-meter.tsx';

const PERIODS = [7, 30, 90];

/** Spend per day of this month, from the usage answer's `byDay`. */
function spendPerDay(usage: UsageResponse | undefined): Array<{ label: string; value: number }> | null {
  const days = usage?.byDay;
  if (!days || days.length === 0) return null;
  return days.map((d) => ({ label: d.date, value: d.costUsd }));
}

export function OverviewPage() {
  const [days, setDays] = useState(30);
  const overview = useApi<Overview>(`/api/admin/ai/overview?days=${days}`);
  const usage = useApi<UsageResponse>('/api/admin/ai/usage');
  const o = overview.data;
  const perDay = spendPerDay(usage.data);
  const daysInMonth = usage.data ? new Date(Number(usage.data.month.slice(0, 4)), Number(usage.data.month.slice(5, 7)), 0).getDate() : 30;

  return (
    <div className="page">
      <PageHeader
        title="Overview"
        description="How AI is used in your organisation."
        actions={
          <div className="segmented" role="radiogroup" aria-label="Period">
            {PERIODS.map((p) => (
              <button key={p} type="button" role="radio" aria-checked={days === p} className={days === p ? 'active' : ''} onClick={() => setDays(p)}>
                {p} days
              </button>
            ))}
          </div>
        }
      />
      <RotationDueNote />
      <ErrorNote error={overview.error} onRetry={overview.reload} />
      {overview.loading && !o && <Spinner label="Loading figures…" />}
      {o && (
        <div className="cards" aria-busy={overview.loading}>
          <Stat label="Total sessions" value={formatNumber(o.totalSessions)} />
          <Stat label="Active users" value={formatNumber(o.activeUsers)} />
          <Stat label="Total tokens" value={formatNumber(o.totalTokens)} />
          <Stat label="Error rate" value={o.totalSessions === 0 ? '—' : formatPct(o.errorRate)} tone={o.errorRate > 0.05 ? 'warning' : undefined} />
          <Stat label="Average latency" value={formatMs(o.avgLatencyMs)} />
        </div>
      )}
      <div className="grid-2">
        <section className="card" aria-labelledby="per-day-title">
          <h2 id="per-day-title" className="card-title">
            Sessions per day
          </h2>
          {o ? <BarChart data={o.sessionsPerDay.map((d) => ({ label: d.date, value: d.count }))} title={`Sessions per day, last ${days} days`} integer /> : <Spinner />}
        </section>
        <section className="card" aria-labelledby="spend-title">
          <h2 id="spend-title" className="card-title">
            Spend this month
          </h2>
          <ErrorNote error={usage.error} />
          {usage.data ? (
            <>
              <SpendMeter usage={usage.data} />
              {perDay && (
                <BarChart
                  data={perDay}
                  title="Spend per day this month"
                  formatValue={(v) => formatUsd(v)}
                  reference={usage.data.budgetUsd ? { value: usage.data.budgetUsd / daysInMonth, label: 'daily share of budget' } : null}
                  height={140}
                />
              )}
              <p>
                <Link to="/admin/usage">See spend by model and user →</Link>
              </p>
            </>
          ) : (
            !usage.error && <Spinner />
          )}
        </section>
      </div>
      {o && (
        <section aria-labelledby="recent-title">
          <div className="section-header">
            <h2 id="recent-title" className="section-title">
              Recent sessions
            </h2>
            <Link to="/admin/sessions">See all sessions →</Link>
          </div>
          {o.recentSessions.length === 0 ? <p className="muted">No sessions yet.</p> : <SessionsTable sessions={o.recentSessions} compact />}
        </section>
      )}
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: 'warning' }) {
  return (
    <div className={`stat card${tone ? ` stat-${tone}` : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}
