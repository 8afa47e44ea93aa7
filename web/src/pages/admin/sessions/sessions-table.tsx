// The sessions table (AI Sessions and the Overview's recent sessions).
import type { AdminSessionRow } from '../../../api/api-types.ts';
import { Link } from '../../../app/router.tsx';
import { formatDateTime, formatMs, formatShortDateTime, formatNumber, formatRelative, formatUsd, providerName } from '../../../components/format.ts';
import { OutcomeBadge, StatusBadge } from './session-badges.tsx';

export function SessionsTable({ sessions, compact }: { sessions: AdminSessionRow[]; compact?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Model</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Turns</th>
            <th scope="col" className="num">Tokens</th>
            <th scope="col" className="num">Cost</th>
            {!compact && <th scope="col" className="num hide-narrow" title="Average latency of the model calls">Avg latency</th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td className="session-cell">
                {/* The title leads (it opens the detail); who ran it sits under it, so neither is cut short. */}
                <Link to={`/admin/sessions/${s.id}`} className="truncate session-cell-title" title={s.title ?? undefined}>
                  {s.title || 'Untitled chat'}
                </Link>
                <div className="muted small truncate" title={s.user?.email}>{s.user?.email ?? '—'}</div>
              </td>
              <td>
                <code>{s.model ?? '—'}</code>
                <div className="muted small">{providerName(s.providerKind)}</div>
              </td>
              <td className="nowrap">
                <span title={formatDateTime(s.startedAt)}>{formatShortDateTime(s.startedAt)}</span>
                {!compact && (
                  <div className="muted small" title={`Last activity ${formatDateTime(s.lastActivityAt)}`}>
                    active {formatRelative(s.lastActivityAt)}
                  </div>
                )}
              </td>
              <td>
                <div className="badges-inline">
                  <StatusBadge status={s.status} />
                  <OutcomeBadge outcome={s.outcome} />
                </div>
              </td>
              <td className="num">{formatNumber(s.turns)}</td>
              <td className="num" title={`${formatNumber(s.inputTokens)} in · ${formatNumber(s.outputTokens)} out`}>
                {formatNumber((s.inputTokens ?? 0) + (s.outputTokens ?? 0))}
              </td>
              <td className="num">{formatUsd(s.costUsd)}</td>
              {!compact && <td className="num hide-narrow">{formatMs(s.avgLatencyMs)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
