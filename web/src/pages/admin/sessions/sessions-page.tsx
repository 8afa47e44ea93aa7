// Admin → AI Sessions: every chat session of the tenant, filterable by user, date and outcome.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../../../api/api-client.ts';
import { asApiError, type ApiError } from '../../../api/api-error.ts';
import type { AdminSessionRow } from '../../../api/api-types.ts';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { SessionsTable } from './sessions-table.tsx';

interface Filters {
  user: string;
  from: string;
  to: string;
  outcome: string;
}

const NO_FILTERS: Filters = { user: '', from: '', to: '', outcome: '' };
const PAGE_SIZE = 50;

/** The filters as the API's query: dates are the person's local days, sent as UTC instants. */
export function filtersToQuery(filters: Filters, cursor?: string | null): string {
  return query({
    user: filters.user.trim(),
    from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : '',
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : '',
    outcome: filters.outcome,
    limit: PAGE_SIZE,
    cursor,
  });
}

export function SessionsPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<AdminSessionRow[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (applied: Filters, after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const answer = await api<{ sessions: AdminSessionRow[]; nextCursor: string | null }>(`/api/admin/ai/sessions${filtersToQuery(applied, after)}`);
      setRows((current) => (after ? [...(current ?? []), ...answer.sessions] : answer.sessions));
      setCursor(answer.nextCursor ?? null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(filters, null);
  }, [filters, load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ ...draft });
  };
  const dateError = draft.from && draft.to && draft.from > draft.to ? '“To” is before “From”.' : null;

  return (
    <div className="page">
      <PageHeader title="AI Sessions" description="Every chat session in your organisation: who, which model, how it went and what it cost. Chat content is not shown here." />
      <form className="filters" onSubmit={apply} aria-label="Filter sessions">
        <Field label="User email">
          <input type="search" value={draft.user} onChange={(e) => setDraft({ ...draft, user: e.target.value })} placeholder="name@company.com" />
        </Field>
        <Field label="From">
          <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </Field>
        <Field label="To" error={dateError}>
          <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </Field>
        <Field label="Outcome">
          <select value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="error">Error</option>
          </select>
        </Field>
        <div className="filters-actions">
          <button type="submit" className="btn btn-secondary" disabled={Boolean(dateError)}>
            Apply filters
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={error} onRetry={() => void load(filters, null)} />
      {rows && rows.length === 0 && !loading && <p className="empty-state muted">No sessions match.</p>}
      {rows && rows.length > 0 && <SessionsTable sessions={rows} />}
      <div className="button-row" aria-live="polite">
        {loading && <Spinner label="Loading sessions…" />}
        {!loading && cursor && (
          <button type="button" className="btn btn-secondary" onClick={() => void load(filters, cursor)}>
            Load more
          </button>
        )}
      </div>
    </div>
  );
}
