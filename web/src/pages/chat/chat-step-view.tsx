// One tool step, collapsed by default: which tool, the SQL it ran, how many rows came back.
import { Spinner } from '../../components/spinner.tsx';
import { asTable, errorOf, rowCountOf, sqlOf, toolLabel, type ChatStep } from './chat-steps.ts';

export function ChatStepView({ step }: { step: ChatStep }) {
  const sql = sqlOf(step);
  const rows = rowCountOf(step);
  const error = errorOf(step);
  const summary = !step.done ? 'running…' : error ? 'failed' : rows !== null ? `${rows} row${rows === 1 ? '' : 's'}` : 'done';
  return (
    <details className={`step${error ? ' step-error' : ''}`}>
      <summary>
        <span className="step-tool">{toolLabel(step.name)}</span>
        <code className="step-name">{step.name}</code>
        <span className="step-summary">{!step.done ? <Spinner label="running…" /> : summary}</span>
      </summary>
      <div className="step-body">
        {sql !== null ? (
          <>
            <div className="step-label">SQL</div>
            <pre className="code-block">{sql}</pre>
          </>
        ) : step.input !== undefined ? (
          <>
            <div className="step-label">Input</div>
            <pre className="code-block">{JSON.stringify(step.input, null, 2)}</pre>
          </>
        ) : null}
        {step.done && (
          <>
            <div className="step-label">{error ? 'Error' : rows !== null ? `Result: ${rows} row${rows === 1 ? '' : 's'}` : 'Result'}</div>
            {error ? <p className="field-error">{error}</p> : <ResultPreview output={step.output} />}
          </>
        )}
      </div>
    </details>
  );
}

const PREVIEW_ROWS = 10;

/** The first rows as a table when the result is tabular, else its JSON. */
function ResultPreview({ output }: { output: unknown }) {
  const table = asTable(output);
  if (table) {
    return (
      <div className="table-wrap">
        <table className="table table-compact">
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} scope="col">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{formatCell(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {table.rows.length > PREVIEW_ROWS && <p className="muted small">Showing {PREVIEW_ROWS} of {table.rows.length} rows.</p>}
        {table.truncated && <p className="muted small">The query returned more rows than the agent was given.</p>}
      </div>
    );
  }
  const text = JSON.stringify(output, null, 2) ?? '';
  return <pre className="code-block">{text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text}</pre>;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
