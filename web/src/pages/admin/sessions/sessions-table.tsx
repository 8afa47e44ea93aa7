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
            <th scope="col">User</th>
            <th scope="col">Title</th>
            <th scope="col">Model</th>
            <th scope="col">Started</th>
            {!compact && <th scope="col">Last activity</th>}
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">Turns</th>
            <th scope="col" className="num">Tokens</th>
            <th scope="col" className="num">Cost</th>
            {!compact && <th scope="col" className="num" title="Average latency of the model calls">Avg latency</th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td className="truncate truncate-narrow" title={s.user?.email}>{s.user?.email ?? '—'}</td>
              <td className="truncate truncate-narrow" title={s.title ?? undefined}>
                <Link to={`/admin/sessions/${s.id}`}>{s.title || 'Untitled chat'}</Link>
              </td>
              <td>
                <code>{s.model ?? '—'}</code>
                <div className="muted small">{providerName(s.providerKind)}</div>
              </td>
              <td className="nowrap" title={formatDateTime(s.startedAt)}>{formatShortDateTime(s.startedAt)}</td>
              {!compact && <td className="nowrap" title={formatDateTime(s.lastActivityAt)}>{formatRelative(s.lastActivityAt)}</td>}
              <td>
                <StatusBadge status={s.status} />
              </td>
              <td>
                <OutcomeBadge outcome={s.outcome} />
              </td>
              <td className="num">{formatNumber(s.turns)}</td>
              <td className="num" title={`${formatNumber(s.inputTokens)} in · ${formatNumber(s.outputTokens)} out`}>
                {formatNumber((s.inputTokens ?? 0) + (s.outputTokens ?? 0))}
              </td>
              <td className="num">{formatUsd(s.costUsd)}</td>
              {!compact && <td className="num">{formatMs(s.avgLatencyMs)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
