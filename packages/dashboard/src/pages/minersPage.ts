import type { MinerDetail } from '../api/MinerDetail';
import type { MinerSummary } from '../api/MinersView';
import { type ChartSeries, lineChart, sparkline } from '../charts/lineChart';
import { niceTicks } from '../charts/niceTicks';
import { fixed, milliseconds, percent, shortKey, utcTime } from './format';
import { type Html, html } from './html';
import { notice } from './notice';
import type { PageModel } from './PageModel';
import { type Column, type SortState, sortableTable } from './sortableTable';

export const MINERS_DEFAULT_SORT: SortState = { key: 'uid', dir: 'asc' };

const COLUMNS: readonly Column<MinerSummary>[] = [
  {
    key: 'uid',
    label: 'UID',
    value: (m) => m.uid,
    cell: (m) => html`<a href="?uid=${m.uid}" data-uid="${m.uid}">${m.uid}</a>`,
    numeric: true,
  },
  {
    key: 'hotkey',
    label: 'Hotkey',
    value: (m) => m.hotkey,
    cell: (m) => html`<code title="${m.hotkey}">${shortKey(m.hotkey)}</code>`,
  },
  { key: 'tier', label: 'Tier', value: (m) => m.tier },
  { key: 'method', label: 'Method', value: (m) => m.method ?? '', cell: (m) => m.method ?? '–' },
  {
    key: 'score',
    label: 'Score',
    value: (m) => m.moving_score,
    cell: (m) => fixed(m.moving_score),
    numeric: true,
  },
  {
    key: 'last_score',
    label: 'Last epoch',
    value: (m) => m.last_score ?? -1,
    cell: (m) => fixed(m.last_score),
    numeric: true,
  },
  {
    key: 'weight',
    label: 'Weight',
    value: (m) => m.weight,
    cell: (m) => fixed(m.weight),
    numeric: true,
  },
  { key: 'timeout', label: 'Timeouts', value: (m) => m.failures.timeout, numeric: true },
  { key: 'invalid', label: 'Invalid', value: (m) => m.failures.invalid_payload, numeric: true },
  { key: 'refused', label: 'Refused', value: (m) => m.failures.refused, numeric: true },
  {
    key: 'p50',
    label: 'p50',
    value: (m) => m.latency_ms?.p50 ?? -1,
    cell: (m) => milliseconds(m.latency_ms?.p50),
    numeric: true,
  },
  {
    key: 'p99',
    label: 'p99',
    value: (m) => m.latency_ms?.p99 ?? -1,
    cell: (m) => milliseconds(m.latency_ms?.p99),
    numeric: true,
  },
  {
    key: 'trend',
    label: 'Trend',
    value: (m) => m.trend.at(-1)?.score ?? -1,
    cell: (m) => sparkline(m.trend.map((t) => t.score)),
  },
];

function scoreSeries(detail: MinerDetail): ChartSeries[] {
  const lines = new Map<string, ChartSeries & { points: Array<{ x: number; y: number }> }>();
  for (const epoch of detail.epochs) {
    for (const family of epoch.families) {
      if (family.scored === 0) continue;
      const name = `${epoch.tier} · ${family.family}`;
      const line = lines.get(name) ?? { name, points: [] };
      lines.set(name, line);
      line.points.push({ x: epoch.epoch, y: family.score });
    }
  }
  const perFamily = [...lines.values()].sort((a, b) => a.name.localeCompare(b.name));
  const mean: ChartSeries = {
    name: 'all tasks',
    points: detail.epochs.filter((e) => e.scored > 0).map((e) => ({ x: e.epoch, y: e.score })),
  };
  return perFamily.length > 1 ? [mean, ...perFamily] : perFamily.length === 1 ? perFamily : [mean];
}

function epochTicks(detail: MinerDetail): number[] {
  const epochs = detail.epochs.map((e) => e.epoch);
  if (epochs.length <= 8) return epochs;
  return niceTicks(epochs[0]!, epochs.at(-1)!, 8).filter(Number.isInteger);
}

function latencyChart(detail: MinerDetail): Html {
  const rows = detail.epochs.filter((e) => e.latency_ms !== null);
  const top = Math.max(1, ...rows.map((e) => e.latency_ms!.p99));
  const yMax = niceTicks(0, top, 4).find((t) => t >= top) ?? top;
  const series: ChartSeries[] = (['p50', 'p90', 'p99'] as const).map((p) => ({
    name: p,
    points: rows.map((e) => ({ x: e.epoch, y: e.latency_ms![p] })),
  }));
  return lineChart({
    id: 'latency',
    title: 'Latency percentiles per epoch',
    series,
    xLabel: 'epoch',
    yLabel: 'ms',
    yDomain: [0, yMax],
    xTicks: epochTicks(detail),
    yFormat: (y) => String(Math.round(y)),
  });
}

function epochTable(detail: MinerDetail): Html {
  const rows = [...detail.epochs].reverse();
  return html`<div class="table-wrap"><table id="epochs"><caption>Per epoch (newest first)</caption><thead><tr><th scope="col" class="num">Epoch</th><th scope="col" class="num">Block</th><th scope="col">Tier</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Scored</th><th scope="col" class="num">Score</th><th scope="col" class="num">Accuracy</th><th scope="col" class="num">Compression</th><th scope="col" class="num">Timeouts</th><th scope="col" class="num">Invalid</th><th scope="col" class="num">Refused</th><th scope="col" class="num">p50</th><th scope="col" class="num">p90</th><th scope="col" class="num">p99</th><th scope="col" class="num">Weight</th></tr></thead><tbody>${rows.map(
    (e) =>
      html`<tr data-epoch="${e.epoch}"><td class="num">${e.epoch}</td><td class="num">${e.block}</td><td>${e.tier}</td><td class="num">${e.requests}</td><td class="num">${e.scored}</td><td class="num" data-column="score">${fixed(e.score)}</td><td class="num">${fixed(e.accuracy)}</td><td class="num">${percent(e.compression)}</td><td class="num" data-column="timeout">${e.failures.timeout}</td><td class="num" data-column="invalid">${e.failures.invalid_payload}</td><td class="num" data-column="refused">${e.failures.refused}</td><td class="num">${milliseconds(e.latency_ms?.p50)}</td><td class="num">${milliseconds(e.latency_ms?.p90)}</td><td class="num">${milliseconds(e.latency_ms?.p99)}</td><td class="num" data-column="weight">${fixed(e.weight)}</td></tr>`,
  )}</tbody></table></div>`;
}

function evaluationTable(detail: MinerDetail): Html {
  if (detail.evaluations.length === 0) return notice('empty', 'No evaluations recorded yet.');
  return html`<div class="table-wrap"><table id="evaluations"><caption>Recent evaluations (newest first)</caption><thead><tr><th scope="col">Time (UTC)</th><th scope="col" class="num">Epoch</th><th scope="col">Task</th><th scope="col">Family</th><th scope="col">Outcome</th><th scope="col" class="num">Score</th><th scope="col" class="num">Accuracy</th><th scope="col" class="num">Compression</th><th scope="col" class="num">Latency</th><th scope="col">Detail</th></tr></thead><tbody>${detail.evaluations.map(
    (e) =>
      html`<tr class="outcome-${e.outcome}"><td>${utcTime(e.at)}</td><td class="num">${e.epoch}</td><td><code>${e.task_id}</code></td><td>${e.family}</td><td data-column="outcome">${e.outcome.replace('_', ' ')}</td><td class="num">${fixed(e.score)}</td><td class="num">${fixed(e.accuracy)}</td><td class="num">${percent(e.compression)}</td><td class="num">${milliseconds(e.latency_ms)}</td><td>${e.code ? html`<code>${e.code}</code> ` : ''}${e.message ?? ''}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The selected miner: its score per tier and family, latencies, epochs and evaluations. */
export function minerDetailSection(model: PageModel): Html {
  const uid = model.state.uid;
  if (uid === null || uid === undefined) {
    return html`<section id="miner-detail" aria-live="polite">${notice('empty', 'Select a miner to see its epochs and recent evaluations.')}</section>`;
  }
  const detail = model.data.detail;
  if (!detail) {
    return html`<section id="miner-detail" data-uid="${uid}">${notice('error', model.data.errors?.detail ?? `No history for uid ${uid}.`)}</section>`;
  }
  const last = detail.epochs.at(-1);
  const facts: Array<[string, unknown]> = [
    ['Moving score', fixed(detail.moving_score)],
    ['Weight', fixed(detail.weight)],
    ['Last epoch score', fixed(last?.score)],
    ['Tier', detail.tier],
    ['Method', detail.method ?? '–'],
  ];
  return html`<section id="miner-detail" data-uid="${detail.uid}" aria-live="polite"><h2>Miner ${detail.uid} <code class="muted" title="${detail.hotkey}">${shortKey(detail.hotkey)}</code></h2><dl class="stats">${facts.map(
    ([label, value]) => html`<div data-stat="${label}"><dt>${label}</dt><dd>${value}</dd></div>`,
  )}</dl><div class="charts">${lineChart({
    id: 'scores',
    title: 'Score per epoch, by tier and task family',
    series: scoreSeries(detail),
    xLabel: 'epoch',
    yLabel: 'score',
    xTicks: epochTicks(detail),
    yFormat: (y) => y.toFixed(1),
  })}${latencyChart(detail)}</div>${epochTable(detail)}${evaluationTable(detail)}</section>`;
}

/** The Miners page's content: every miner's standing, then the selected one in detail. */
export function minersMain(model: PageModel): Html {
  if (!model.info.pages.miners) {
    return notice(
      'unavailable',
      'This process does not evaluate miners: their history lives in the validator.',
    );
  }
  const view = model.data.miners;
  if (!view) return notice('error', model.data.errors?.miners ?? 'The miners could not be read.');
  const selected = model.state.uid;
  return html`<section><h2>Standing</h2>${sortableTable({
    id: 'miners',
    caption:
      view.epoch === null
        ? 'No epoch has run yet.'
        : `After epoch ${view.epoch}: failures summed over the last ${view.history_epochs} epochs, latency of the last epoch; select a miner for its history`,
    columns: COLUMNS,
    rows: view.miners,
    sort: model.state.sort ?? MINERS_DEFAULT_SORT,
    rowAttributes: (m) =>
      html`data-uid="${m.uid}" class="${m.uid === selected ? 'selected' : ''}" aria-selected="${m.uid === selected}"`,
    keep: selected === null || selected === undefined ? '' : `&uid=${selected}`,
  })}</section>${minerDetailSection(model)}`;
}
