import { useId } from 'react';

export interface ChartSeries {
  name: string;
  /** [x, y] in data units; a null y leaves a gap. */
  points: readonly (readonly [number, number | null])[];
  /** A CSS class for the stroke colour (chart-line-1 … chart-line-8). */
  tone: number;
  /** A count: it holds its value until the next sample says otherwise, so it is drawn in steps, not slopes. */
  step?: boolean;
}

export interface LineChartProps {
  title: string;
  /** What the chart shows in words: the accessible name's description, the figures as text. */
  summary: string;
  series: readonly ChartSeries[];
  xMax: number;
  yMax: number;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  testId: string;
}

// In viewBox units; the SVG scales to its box's width, so the layout never scrolls sideways.
const WIDTH = 400;
const HEIGHT = 150;
const LEFT = 44;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 22;

/** A small line chart drawn as SVG, no library: at most a few hundred points per series. */
export function LineChart({ title, summary, series, xMax, yMax, formatX, formatY, testId }: LineChartProps) {
  const id = useId();
  const x = (value: number) => LEFT + (xMax > 0 ? (value / xMax) * (WIDTH - LEFT - RIGHT) : 0);
  const y = (value: number) => HEIGHT - BOTTOM - (yMax > 0 ? (value / yMax) * (HEIGHT - TOP - BOTTOM) : 0);
  const path = ({ points, step }: ChartSeries) => {
    let d = '';
    let pen = false;
    for (const [px, py] of points) {
      if (py === null) {
        pen = false;
        continue;
      }
      if (pen && step) d += `H${x(px).toFixed(1)}`;
      d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`;
      pen = true;
    }
    return d;
  };
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart-title" id={`${id}-title`}>
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="chart-grid" x1={LEFT} x2={WIDTH - RIGHT} y1={y(yMax * f)} y2={y(yMax * f)} />
            <text className="chart-tick" x={LEFT - 4} y={y(yMax * f) + 3} textAnchor="end">
              {formatY(yMax * f)}
            </text>
          </g>
        ))}
        <text className="chart-tick" x={LEFT} y={HEIGHT - 6} textAnchor="start">
          {formatX(0)}
        </text>
        <text className="chart-tick" x={WIDTH - RIGHT} y={HEIGHT - 6} textAnchor="end">
          {formatX(xMax)}
        </text>
        {series.map((s) => (
          <path key={s.name} className={`chart-line chart-line-${s.tone}`} d={path(s)}>
            <title>{s.name}</title>
          </path>
        ))}
      </svg>
      {series.length > 1 && (
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.name}>
              <span className={`chart-swatch chart-line-${s.tone}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
