// The budget settings (PUT /api/admin/ai/limits replaces them all). Empty = no limit. Errors sit
// under the field that caused them, from our own checks or from the server's answer. The alert webhook
// is a stored secret like an API key: shown by its origin, replaced by pasting a new URL, or removed.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import type { ApiError } from '../../../api/api-error.ts';
import type { Limits, LimitsUpdate, WebhookTestResult } from '../../../api/api-types.ts';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { formatMs } from '../../../components/format.ts';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';

type FormKey = 'monthlyBudgetUsd' | 'alertAtPct' | 'perUserMonthlyBudgetUsd' | 'maxAgentSteps' | 'alertWebhookUrl';
/** The fields as typed; `removeWebhook` is the Remove button's choice. */
type FormValues = Record<FormKey, string> & { removeWebhook: boolean };
type FormErrors = Partial<Record<FormKey, string>>;

function toForm(limits: Limits): FormValues {
  const text = (v: number | null) => (v === null || v === undefined ? '' : String(v));
  return {
    monthlyBudgetUsd: text(limits.monthlyBudgetUsd),
    alertAtPct: text(limits.alertAtPct),
    perUserMonthlyBudgetUsd: text(limits.perUserMonthlyBudgetUsd),
    maxAgentSteps: text(limits.maxAgentSteps),
    alertWebhookUrl: '',
    removeWebhook: false,
  };
}

/** Checks the form and builds the body; pure, so the rules read in one place. */
export function validateLimits(values: FormValues): { body: LimitsUpdate | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const money = (key: 'monthlyBudgetUsd' | 'perUserMonthlyBudgetUsd'): number | null => {
    const raw = values[key].trim();
    if (raw === '') return null;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) errors[key] = 'Enter an amount in USD (0 or more), or leave it empty for none.';
    return n;
  };
  const monthlyBudgetUsd = money('monthlyBudgetUsd');
  const perUserMonthlyBudgetUsd = money('perUserMonthlyBudgetUsd');
  let alertAtPct: number | null = null;
  if (values.alertAtPct.trim() !== '') {
    alertAtPct = Number(values.alertAtPct);
    if (!Number.isInteger(alertAtPct) || alertAtPct < 1 || alertAtPct > 100) errors.alertAtPct = 'A whole percentage from 1 to 100, or empty for no alert.';
  }
  const steps = values.maxAgentSteps.trim() === '' ? 8 : Number(values.maxAgentSteps);
  if (!Number.isInteger(steps) || steps < 1 || steps > 50) errors.maxAgentSteps = 'A whole number from 1 to 50.';
  // A new URL replaces the stored one; Remove clears it; otherwise it is left out, and so kept.
  const hook = values.alertWebhookUrl.trim();
  if (hook !== '' && !/^https?:\/\/[^\s/]+/i.test(hook)) errors.alertWebhookUrl = 'Paste the whole URL, starting with https://.';
  const webhook: Pick<LimitsUpdate, 'alertWebhookUrl'> = hook !== '' ? { alertWebhookUrl: hook } : values.removeWebhook ? { alertWebhookUrl: null } : {};
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { monthlyBudgetUsd, alertAtPct, perUserMonthlyBudgetUsd, maxAgentSteps: steps, ...webhook }, errors };
}

/** Field errors from a 400 answer, when the server names the fields. */
function serverFieldErrors(error: ApiError): FormErrors {
  const out: FormErrors = {};
  // The webhook's own refusals (a private address, plain http) say which field in their message.
  if (error.message.startsWith('alertWebhookUrl: ')) out.alertWebhookUrl = error.message.slice('alertWebhookUrl: '.length);
  const lists = [error.details.fields, error.details.issues, error.details.errors];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Array<{ path?: unknown; field?: unknown; message?: unknown }>) {
      const field = String(Array.isArray(item.path) ? item.path[0] : (item.field ?? item.path ?? '')).split('.')[0] ?? '';
      if (field in { monthlyBudgetUsd: 1, alertAtPct: 1, perUserMonthlyBudgetUsd: 1, maxAgentSteps: 1, alertWebhookUrl: 1 }) out[field as FormKey] = String(item.message ?? 'Invalid value.');
    }
  }
  return out;
}

export function LimitsForm({ limits, onSaved }: { limits: Limits; onSaved: () => void }) {
  const [values, setValues] = useState<FormValues>(() => toForm(limits));
  const [errors, setErrors] = useState<FormErrors>({});
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  useEffect(() => setValues(toForm(limits)), [limits]);

  const set = (key: FormKey) => (event: { target: { value: string } }) => {
    setValues({ ...values, [key]: event.target.value });
    // An error stays until its own field changes, not until the next save.
    if (errors[key]) setErrors({ ...errors, [key]: undefined });
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = validateLimits(values);
    setErrors(found);
    if (!body) return;
    const failure = await run(async () => {
      await api('/api/admin/ai/limits', { method: 'PUT', body });
      setSaved(true);
      onSaved();
    });
    if (failure) setErrors(serverFieldErrors(failure));
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="limits-title">
      <h2 id="limits-title" className="card-title">
        Budget and limits
      </h2>
      <p className="muted small">Mosaic refuses new AI calls once a budget is used up (people see a clear message). Leave a field empty for no limit.</p>
      <div className="field-row">
        <Field label="Monthly budget (USD)" optional error={errors.monthlyBudgetUsd}>
          <input inputMode="decimal" value={values.monthlyBudgetUsd} onChange={set('monthlyBudgetUsd')} placeholder="none" />
        </Field>
        <Field label="Alert at (% of budget)" optional error={errors.alertAtPct} help="Tenant Admins are alerted when spend crosses it.">
          <input inputMode="numeric" value={values.alertAtPct} onChange={set("alertAtPct")} placeholder="none" />
        </Field>
      </div>
      <div className="field-row">
        <Field label="Per-user monthly budget (USD)" optional error={errors.perUserMonthlyBudgetUsd}>
          <input inputMode="decimal" value={values.perUserMonthlyBudgetUsd} onChange={set('perUserMonthlyBudgetUsd')} placeholder="none" />
        </Field>
        <Field label="Max agent steps" error={errors.maxAgentSteps} help="Tool calls the agent may make for one answer (1–50, default 8): stops a runaway loop.">
          <input inputMode="numeric" value={values.maxAgentSteps} onChange={set('maxAgentSteps')} placeholder="8" />
        </Field>
      </div>
      <WebhookField
        stored={limits.alertWebhook}
        value={values.alertWebhookUrl}
        remove={values.removeWebhook}
        error={errors.alertWebhookUrl}
        onChange={set('alertWebhookUrl')}
        onRemove={(removeWebhook) => {
          setValues({ ...values, removeWebhook, alertWebhookUrl: '' });
          setSaved(false);
        }}
      />
      {/* A refusal that names its field shows under that field only. */}
      <ErrorNote error={error && Object.keys(serverFieldErrors(error)).length === 0 ? error : null} title="Not saved" />
      <div className="button-row" aria-live="polite">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save limits
        </button>
        {busy && <Spinner label="Saving…" />}
        {saved && !busy && <span className="text-success">Saved.</span>}
      </div>
    </form>
  );
}

/** The alert webhook: the stored one by its origin (with Remove), and a field for a new URL. */
function WebhookField(props: {
  stored: Limits['alertWebhook'];
  value: string;
  remove: boolean;
  error: string | undefined;
  onChange: (event: { target: { value: string } }) => void;
  onRemove: (remove: boolean) => void;
}) {
  const { stored, value, remove, error, onChange, onRemove } = props;
  const test = useAction();
  const [result, setResult] = useState<WebhookTestResult | null>(null);
  // The URL being typed if any, else the stored one (the server opens it from the vault).
  const canTest = !remove && (value.trim() !== '' || stored !== null);
  const sendTest = () =>
    test.run(async () => {
      setResult(null);
      setResult(await api<WebhookTestResult>('/api/admin/ai/limits/webhook-test', { method: 'POST', body: value.trim() ? { alertWebhookUrl: value.trim() } : {} }));
    });
  const help = stored
    ? remove
      ? 'The webhook will be removed when you save.'
      : `Alerts go to ${stored.origin}/… (the rest of the URL is stored encrypted and not shown). Paste a new URL to replace it.`
    : 'Mosaic POSTs each budget alert here as JSON, e.g. a Slack or Teams incoming webhook. Stored encrypted.';
  return (
    <>
      <div className="field-row">
        <Field label="Alert webhook URL" optional error={error} help={help}>
          <input type="url" value={value} onChange={onChange} placeholder={stored && !remove ? 'keep the current webhook' : 'https://hooks.slack.com/services/…'} autoComplete="off" spellCheck={false} disabled={remove} />
        </Field>
        <div className="field-actions">
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void sendTest()} disabled={!canTest || test.busy}>
            Send a test alert
          </button>
          {stored && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => onRemove(!remove)}>
              {remove ? 'Keep the webhook' : 'Remove webhook'}
            </button>
          )}
        </div>
      </div>
      <div aria-live="polite">
        {test.busy && <Spinner label="Sending a test alert…" />}
        {!test.busy && result?.ok === true && (
          <p className="text-success small" data-testid="webhook-test-ok">
            Delivered: the webhook answered {result.status} in {formatMs(result.latencyMs)}.
          </p>
        )}
        <ErrorNote error={!test.busy && result?.ok === false ? result.error : null} title="The test alert was not delivered" />
        <ErrorNote error={test.error} title="The test alert was not sent" />
      </div>
    </>
  );
}
