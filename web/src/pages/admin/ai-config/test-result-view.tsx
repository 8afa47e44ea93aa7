// The answer to Test connection, next to the button: latency and reply, or the error and its hint.
import type { ApiError } from '../../../api/api-error.ts';
import type { TestResult } from '../../../api/api-types.ts';
import { formatMs } from '../../../components/format.ts';
import { Spinner } from '../../../components/spinner.tsx';

export interface TestState {
  running: boolean;
  result: TestResult | null;
  /** A request that failed as a whole (400, network). */
  error: ApiError | null;
}

export const IDLE_TEST: TestState = { running: false, result: null, error: null };

export function TestResultView({ state }: { state: TestState }) {
  return (
    <div className="test-result" aria-live="polite">
      {state.running && <Spinner label="Sending a tiny test prompt…" />}
      {!state.running && state.result?.ok === true && (
        <div className="note note-success" data-testid="test-success">
          <strong className="note-title">Connection works</strong>
          <p className="note-message">
            <code>{state.result.model}</code> answered in {formatMs(state.result.latencyMs)}.
          </p>
          <p className="note-hint">
            {state.result.reply ? <>Reply: “{state.result.reply}”</> : 'The reply was empty (normal for reasoning models).'}
          </p>
        </div>
      )}
      {!state.running && state.result?.ok === false && (
        <div className="note note-error" role="alert" data-testid="test-failure">
          <strong className="note-title">Test failed</strong>
          <p className="note-message">{state.result.error.message}</p>
          {state.result.error.hint && <p className="note-hint">{state.result.error.hint}</p>}
          <p className="note-code">
            <code>{state.result.error.code}</code>
          </p>
        </div>
      )}
      {!state.running && state.error && (
        <div className="note note-error" role="alert" data-testid="test-failure">
          <strong className="note-title">Test failed</strong>
          <p className="note-message">{state.error.message}</p>
          {state.error.hint && <p className="note-hint">{state.error.hint}</p>}
          <p className="note-code">
            <code>{state.error.code}</code>
          </p>
        </div>
      )}
    </div>
  );
}
