// A bar chart in inline SVG (no chart library): one bar per day, an accessible summary, and the
// values as a table for screen readers.
import { formatDay } from '../../../components/format.ts';

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

export function BarChart({ data, title, formatValue = (v) => String(v), reference, height = 180, integer = false }: BarChartProps) {
  const width = 720;
  const padLeft = 36;
  const padBottom = 22;
  const plotHeight = height - padBottom - 8;
  const rawMax = Math.max(reference?.value ?? 0, ...data.map((d) => d.value));
  const max = integer ? Math.max(2, Math.ceil(rawMax / 2) * 2) : rawMax > 0 ? rawMax : 1;
  const step = data.length > 0 ? (width - padLeft) / data.length : 0;
  const barWidth = Math.max(2, step * 0.7);
  const y = (v: number) => 8 + plotHeight - (v / max) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  const total = data.reduce((sum, d) => sum + d.value, 0);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${data.length} days, ${formatValue(total)} in total, at most ${formatValue(Math.max(0, ...data.map((d) => d.value)))} a day.`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={padLeft} x2={width} y1={y(max * f)} y2={y(max * f)} className="chart-grid" />
            <text x={padLeft - 6} y={y(max * f) + 4} className="chart-axis" textAnchor="end">
              {formatValue(Math.round(max * f * 100) / 100)}
            </text>
          </g>
        ))}
        {data.map((d, i) => (
          <g key={d.label}>
            <rect x={padLeft + i * step + (step - barWidth) / 2} y={y(d.value)} width={barWidth} height={Math.max(0, y(0) - y(d.value))} className="chart-bar" rx={2}>
              <title>{`${formatDay(d.label)}: ${formatValue(d.value)}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={padLeft + i * step + step / 2} y={height - 6} className="chart-axis" textAnchor="middle">
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
