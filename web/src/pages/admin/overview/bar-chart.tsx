// A bar chart in inline SVG (no chart library): one bar per day, an accessible summary, and the
// values as a table for screen readers.
import { formatDay } from '../../../components/format.ts';
import { axisMax } from './chart-scale.ts';

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  data: BarDatum[];
  title: string;
  formatValue?: (v: number) => string;
  /** A horizontal line (e.g. the daily budget). */
  reference?: { value: number; label: string } | null;
  height?: number;
  /** Whole-number data (counts): the axis shows whole numbers only. */
  integer?: boolean;
}

/** Half the width of a day label ("Nov 30") at the axis's 11px, in chart units. */
const DAY_LABEL_HALF_WIDTH = 20;

export function BarChart({ data, title, formatValue = (v) => String(v), reference, height = 180, integer = false }: BarChartProps) {
  const width = 720;
  const padBottom = 22;
  const plotHeight = height - padBottom - 8;
  const max = axisMax(data.map((d) => d.value), { integer, reference: reference?.value ?? null });
  const ticks = [0, 0.5, 1].map((f) => ({ value: max * f, label: formatValue(max * f) }));
  // Room for the longest value label ("$0.0200"): about 6.6 units a character at the axis's 11px.
  const padLeft = Math.max(36, Math.ceil(Math.max(...ticks.map((t) => t.label.length)) * 6.6) + 10);
  const step = data.length > 0 ? (width - padLeft) / data.length : 0;
  const barWidth = Math.max(2, step * 0.7);
  const y = (v: number) => 8 + plotHeight - (v / max) * plotHeight;
  // Counted back from the last day, so that today always has its label.
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  const total = data.reduce((sum, d) => sum + d.value, 0);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${data.length} days, ${formatValue(total)} in total, at most ${formatValue(Math.max(0, ...data.map((d) => d.value)))} a day.`}>
        {ticks.map((t) => (
          <g key={t.value}>
            <line x1={padLeft} x2={width} y1={y(t.value)} y2={y(t.value)} className="chart-grid" />
            <text x={padLeft - 6} y={y(t.value) + 4} className="chart-axis" textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {data.map((d, i) => (
          <g key={d.label}>
            <rect x={padLeft + i * step + (step - barWidth) / 2} y={y(d.value)} width={barWidth} height={Math.max(0, y(0) - y(d.value))} className="chart-bar" rx={2}>
              <title>{`${formatDay(d.label)}: ${formatValue(d.value)}`}</title>
            </rect>
            {(data.length - 1 - i) % labelEvery === 0 && (
              // Centred under its bar, but kept inside the chart: under the narrow last bar of 30 days the
              // label ran past the edge and was cut off ("Dec 5" → "Dec !").
              <text x={Math.min(padLeft + i * step + step / 2, width - DAY_LABEL_HALF_WIDTH)} y={height - 6} className="chart-axis" textAnchor="middle">
                {formatDay(d.label)}
              </text>
            )}
          </g>
        ))}
        {reference && (
          <g>
            <line x1={padLeft} x2={width} y1={y(reference.value)} y2={y(reference.value)} className="chart-reference" />
            <text x={width - 4} y={y(reference.value) - 4} className="chart-axis chart-reference-label" textAnchor="end">
              {reference.label}
            </text>
          </g>
        )}
      </svg>
      <figcaption className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{formatDay(d.label)}</th>
                <td>{formatValue(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
