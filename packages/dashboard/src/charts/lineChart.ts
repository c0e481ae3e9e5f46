import { type Html, html, raw } from '../pages/html';
import { niceTicks } from './niceTicks';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  name: string;
  points: readonly ChartPoint[];
  /** A shaded interval around the line (a confidence band), same x values as `points`. */
  band?: ReadonlyArray<{ x: number; low: number; high: number }>;
}

export interface LineChartSpec {
  /** Names the chart for scripts and tests (`data-chart`). */
  id: string;
  title: string;
  series: readonly ChartSeries[];
  xLabel: string;
  yLabel: string;
  /** Default: the data's extent. */
  xDomain?: readonly [number, number];
  /** Default: [0, 1], the range of every score and accuracy. */
  yDomain?: readonly [number, number];
  /** Explicit x ticks (e.g. whole epochs); default: round values across the domain. */
  xTicks?: readonly number[];
  xFormat?: (x: number) => string;
  yFormat?: (y: number) => string;
}

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 40, left: 48 };
/** Series colours are CSS classes (`c0`…`c7`): the page's CSP allows no inline styles. */
const COLOURS = 8;

const coordinate = (value: number) => value.toFixed(1);

/**
 * A line chart as SVG markup: axes with round ticks, one `<g class="series">` per series
 * (`data-series` = its name) holding its band, its line and a circle per point with a
 * `<title>` tooltip, and an HTML legend below. The SVG scales to its container through its
 * viewBox, so the same markup fits a phone and a wide screen; the server renders it into the
 * page and the browser re-renders it on updates, from this one function.
 */
export function lineChart(spec: LineChartSpec): Html {
  const all = spec.series.flatMap((series) => series.points);
  if (all.length === 0) {
    return html`<figure class="chart" data-chart="${spec.id}"><figcaption>${spec.title}</figcaption><p class="empty">No data yet.</p></figure>`;
  }
  const xs = all.map((p) => p.x);
  let [x0, x1] = spec.xDomain ?? [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const [y0, y1] = spec.yDomain ?? [0, 1];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) =>
    MARGIN.top + (1 - (Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0)) * plotH;
  const xFormat = spec.xFormat ?? ((x: number) => String(x));
  const yFormat = spec.yFormat ?? ((y: number) => String(y));
  const xTicks = (spec.xTicks ?? niceTicks(x0, x1, 6)).filter((x) => x >= x0 && x <= x1);
  const yTicks = niceTicks(y0, y1, 5);

  const grid = yTicks.map(
    (y) =>
      html`<line class="grid" data-y="${y}" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${coordinate(sy(y))}" y2="${coordinate(sy(y))}"/><text class="tick y" x="${MARGIN.left - 6}" y="${coordinate(sy(y) + 4)}">${yFormat(y)}</text>`,
  );
  const xAxis = xTicks.map(
    (x) =>
      html`<text class="tick x" x="${coordinate(sx(x))}" y="${HEIGHT - MARGIN.bottom + 16}">${xFormat(x)}</text>`,
  );
  const series = spec.series.map((s, index) => {
    const colour = `c${index % COLOURS}`;
    const points = [...s.points].sort((a, b) => a.x - b.x);
    const line = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${coordinate(sx(p.x))},${coordinate(sy(p.y))}`)
      .join('');
    const band = s.band && s.band.length > 0 ? bandPath(s.band, sx, sy) : '';
    return html`<g class="series ${colour}" data-series="${s.name}">${
      band ? html`<path class="band" d="${band}"/>` : ''
    }<path class="line" d="${line}"/>${points.map(
      (p) =>
        html`<circle class="point" cx="${coordinate(sx(p.x))}" cy="${coordinate(sy(p.y))}" r="3.5" data-x="${p.x}" data-y="${p.y}"><title>${s.name}: ${spec.xLabel} ${xFormat(p.x)}, ${spec.yLabel} ${yFormat(p.y)}</title></circle>`,
    )}</g>`;
  });
  const legend = spec.series.map(
    (s, index) =>
      html`<li class="c${index % COLOURS}" data-series="${s.name}"><span class="swatch"></span>${s.name}</li>`,
  );
  return html`<figure class="chart" data-chart="${spec.id}"><figcaption>${spec.title}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${spec.title}" preserveAspectRatio="xMidYMid meet">${grid}<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom}"/>${xAxis}<text class="label x" x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}">${spec.xLabel}</text><text class="label y" transform="translate(12 ${MARGIN.top + plotH / 2}) rotate(-90)">${spec.yLabel}</text>${series}</svg><ul class="legend">${legend}</ul></figure>`;
}

function bandPath(
  band: ReadonlyArray<{ x: number; low: number; high: number }>,
  sx: (x: number) => number,
  sy: (y: number) => number,
): string {
  const sorted = [...band].sort((a, b) => a.x - b.x);
  if (sorted.length === 1) {
    // One x: a short vertical bar is the whole interval.
    const p = sorted[0]!;
    const x = sx(p.x);
    return `M${coordinate(x - 4)},${coordinate(sy(p.high))}H${coordinate(x + 4)}V${coordinate(sy(p.low))}H${coordinate(x - 4)}Z`;
  }
  const upper = sorted.map(
    (p, i) => `${i === 0 ? 'M' : 'L'}${coordinate(sx(p.x))},${coordinate(sy(p.high))}`,
  );
  const lower = [...sorted]
    .reverse()
    .map((p) => `L${coordinate(sx(p.x))},${coordinate(sy(p.low))}`);
  return `${upper.join('')}${lower.join('')}Z`;
}

/** A score trend in a table cell: no axes, the line only, 0 at the bottom and 1 at the top. */
export function sparkline(values: readonly number[]): Html {
  if (values.length === 0) return raw('');
  const w = 80;
  const h = 20;
  const step = values.length === 1 ? 0 : w / (values.length - 1);
  const d = values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${coordinate(i * step)},${coordinate(h - 1 - Math.min(1, Math.max(0, v)) * (h - 2))}`,
    )
    .join('');
  return html`<svg class="spark" viewBox="-2 0 ${w + 4} ${h}" aria-hidden="true"><path d="${d}"/></svg>`;
}
