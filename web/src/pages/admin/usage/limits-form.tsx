// The budget settings (PUT /api/admin/ai/limits replaces them all). Empty = no limit. Errors sit
// under the field that caused them, from our own checks or from the server's answer.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../api/api-client.ts';
import type { ApiError } from '../../../api/api-error.ts';
import type { Limits } from '../../../api/api-types.ts';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Field } from '../../../components/field.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';

type FormValues = Record<keyof Limits, string>;
type FormErrors = Partial<Record<keyof Limits, string>>;

function toForm(limits: Limits): FormValues {
  const text = (v: number | null) => (v === null || v === undefined ? '' : String(v));
  return {
    monthlyBudgetUsd: text(limits.monthlyBudgetUsd),
    alertAtPct: text(limits.alertAtPct),
    perUserMonthlyBudgetUsd: text(limits.perUserMonthlyBudgetUsd),
    maxAgentSteps: text(limits.maxAgentSteps),
  };
}

/** Checks the form and builds the body; pure, so the rules read in one place. */
export function validateLimits(values: FormValues): { body: Limits | null; errors: FormErrors } {
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
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { monthlyBudgetUsd, alertAtPct, perUserMonthlyBudgetUsd, maxAgentSteps: steps }, errors };
}

/** Field errors from a 400 answer, when the server names the fields. */
function serverFieldErrors(error: ApiError): FormErrors {
  const out: FormErrors = {};
  const lists = [error.details.fields, error.details.issues, error.details.errors];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as Array<{ path?: unknown; field?: unknown; message?: unknown }>) {
      const field = String(Array.isArray(item.path) ? item.path[0] : (item.field ?? item.path ?? '')).split('.')[0] ?? '';
      if (field in { monthlyBudgetUsd: 1, alertAtPct: 1, perUserMonthlyBudgetUsd: 1, maxAgentSteps: 1 }) out[field as keyof Limits] = String(item.message ?? 'Invalid value.');
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

  const set = (key: keyof Limits) => (event: { target: { value: string } }) => {
    setValues({ ...values, [key]: event.target.value });
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
      <ErrorNote error={error} title="Not saved" />
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
