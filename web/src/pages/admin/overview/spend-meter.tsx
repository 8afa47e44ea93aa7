// Month-to-date spend against the monthly budget, with the alert threshold marked.
import type { UsageResponse } from '../../../api/api-types.ts';
import { Badge } from '../../../components/badge.tsx';
import { formatMonth, formatUsd } from '../../../components/format.ts';

export function SpendMeter({ usage }: { usage: UsageResponse }) {
  const { spentUsd, budgetUsd, alertAtPct } = usage;
  const pct = budgetUsd ? Math.min(100, (spentUsd / budgetUsd) * 100) : null;
  const alerting = pct !== null && alertAtPct !== null && pct >= alertAtPct;
  const tone = pct !== null && pct >= 100 ? 'danger' : alerting ? 'warning' : 'ok';
  return (
    <div className="spend">
      <div className="spend-figures">
        <span className="spend-amount">{formatUsd(spentUsd)}</span>
        <span className="muted">{budgetUsd ? `of ${formatUsd(budgetUsd)} budget in ${formatMonth(usage.month)}` : `in ${formatMonth(usage.month)} · no budget set`}</span>
        {usage.estimated && (
          <Badge tone="info" title="Some calls are priced from estimated token counts">
            estimated
          </Badge>
        )}
        {pct !== null && pct >= 100 && <Badge tone="danger">Budget used up</Badge>}
        {alerting && pct !== null && pct < 100 && <Badge tone="warning">Over the {alertAtPct}% alert</Badge>}
      </div>
      {pct !== null && (
        <div className={`meter meter-${tone}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label="Share of the monthly budget spent">
          <div className="meter-fill" style={{ width: `${pct}%` }} />
          {alertAtPct !== null && <div className="meter-mark" style={{ left: `${alertAtPct}%` }} title={`Alert at ${alertAtPct}%`} />}
        </div>
      )}
    </div>
  );
}
