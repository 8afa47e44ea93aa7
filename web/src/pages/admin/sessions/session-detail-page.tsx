// Session Detail: every model call and tool call with timings, outcomes, models, tokens and cost.
// Chat content is behind an explicit acknowledgement, because each view is audited.
import { useState } from 'react';
import type { AdminSessionRow, TimelineEntry } from '../../../api/api-types.ts';
import { Link } from '../../../app/router.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { formatDateTime, formatMs, formatNumber, formatTime, formatUsd, providerName } from '../../../components/format.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useApi } from '../../../components/use-api.ts';
import { ChatContentDialog } from './chat-content-dialog.tsx';
import { OutcomeBadge, StatusBadge } from './session-badges.tsx';

const TYPE_TEXT: Record<string, string> = { model_call: 'Model call', tool_call: 'Tool call', repin: 'Re-pinned' };
/** The cheap flows, named beside their model calls (they run on the fast model, after the answer). */
const FLOW_TEXT: Record<string, string> = { title: 'title', suggestions: 'follow-ups' };

export function SessionDetailPage({ sessionId }: { sessionId: string }) {
  const detail = useApi<{ session: AdminSessionRow; timeline: TimelineEntry[] }>(`/api/admin/ai/sessions/${encodeURIComponent(sessionId)}`);
  const [showContent, setShowContent] = useState(false);
  const s = detail.data?.session;
  const base = `/api/admin/ai/sessions/${encodeURIComponent(sessionId)}`;

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/admin/sessions">← AI Sessions</Link>
      </p>
      <PageHeader
        title={s ? s.title || 'Untitled chat' : 'Session'}
        description="Session Detail: the timeline of model calls and tool calls. Chat content is not shown unless you ask for it."
        actions={
          <>
            <a className="btn btn-secondary" href={`${base}/export`} download={`session-${sessionId}.json`}>
              Export JSON
            </a>
            <button type="button" className="btn btn-secondary" onClick={() => setShowContent(true)}>
              View chat content
            </button>
          </>
        }
      />
      {detail.loading && !detail.data && <Spinner label="Loading the session…" />}
      <ErrorNote error={detail.error} onRetry={detail.reload} />
      {s && (
        <dl className="facts facts-wide card">
          <div>
            <dt>User</dt>
            <dd>{s.user?.email}</dd>
          </div>
          <div>
            <dt>Provider</dt>
            <dd>{providerName(s.providerKind)}</dd>
          </div>
          <div>
            <dt>Model</dt>
            <dd>
              <code>{s.model ?? '—'}</code>
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(s.startedAt)}</dd>
          </div>
          <div>
            <dt>Last activity</dt>
            <dd>{formatDateTime(s.lastActivityAt)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={s.status} /> <OutcomeBadge outcome={s.outcome} />
            </dd>
          </div>
          <div>
            <dt>Turns</dt>
            <dd>{formatNumber(s.turns)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>
              {formatNumber(s.inputTokens)} in · {formatNumber(s.outputTokens)} out
            </dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{formatUsd(s.costUsd)}</dd>
          </div>
          <div>
            <dt>Avg latency</dt>
            <dd>{formatMs(s.avgLatencyMs)}</dd>
          </div>
        </dl>
      )}
      {detail.data && (
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title" className="section-title">
            Timeline
          </h2>
          {detail.data.timeline.length === 0 ? (
            <p className="muted">No calls recorded yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table timeline">
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">At</th>
                    <th scope="col" className="num">Duration</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Model or tool</th>
                    <th scope="col" className="num">Tokens in / out</th>
                    <th scope="col" className="num">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.data.timeline.map((t, i) => (
                    <tr key={i} className={`timeline-${t.type}`}>
                      <td className="timeline-type">
                        <span className={`dot dot-${t.type}`} aria-hidden="true" />
                        {TYPE_TEXT[t.type] ?? t.type}
                        {t.flow && FLOW_TEXT[t.flow] && <span className="muted small"> · {FLOW_TEXT[t.flow]}</span>}
                      </td>
                      <td className="timeline-at" title={formatDateTime(t.at)}>{formatTime(t.at)}</td>
                      <td className="num">{formatMs(t.durationMs)}</td>
                      <td>
                        <OutcomeBadge outcome={t.outcome} />
                        {t.errorCode && (
                          <div>
                            <code>{t.errorCode}</code>
                          </div>
                        )}
                      </td>
                      <td>{t.tool ? <code>{t.tool}</code> : t.model ? <code>{t.model}</code> : '—'}</td>
                      {/* A tool call costs no tokens: a dash reads better than "0 / 0 · $0.00". */}
                      <td className="num">{t.type === 'tool_call' || (t.inputTokens === null && t.outputTokens === null) ? '—' : `${formatNumber(t.inputTokens ?? 0)} / ${formatNumber(t.outputTokens ?? 0)}`}</td>
                      <td className="num">{t.type === 'tool_call' && !t.costUsd ? '—' : formatUsd(t.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {showContent && <ChatContentDialog contentUrl={`${base}/content`} onClose={() => setShowContent(false)} />}
    </div>
  );
}
