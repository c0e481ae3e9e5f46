import type { GatewayUsageRow, GatewayView } from '../api/GatewayView';
import { lineChart } from '../charts/lineChart';
import { niceTicks } from '../charts/niceTicks';
import { count } from './format';
import { type Html, html } from './html';
import { notice } from './notice';
import type { PageModel } from './PageModel';
import { type Column, type SortState, sortableTable } from './sortableTable';

export const GATEWAY_DEFAULT_SORT: SortState = { key: 'day', dir: 'desc' };

type Row = GatewayUsageRow & { name: string | null };

const COLUMNS: readonly Column<Row>[] = [
  { key: 'day', label: 'Day (UTC)', value: (r) => r.day },
  {
    key: 'key',
    label: 'Key id',
    value: (r) => r.key_id,
    cell: (r) =>
      html`<code>${r.key_id}</code>${r.name ? html` <span class="muted">${r.name}</span>` : ''}`,
  },
  {
    key: 'requests',
    label: 'Requests',
    value: (r) => r.requests,
    cell: (r) => count(r.requests),
    numeric: true,
  },
  {
    key: '2xx',
    label: '2xx',
    value: (r) => r.status_2xx,
    cell: (r) => count(r.status_2xx),
    numeric: true,
  },
  {
    key: '4xx',
    label: '4xx',
    value: (r) => r.status_4xx,
    cell: (r) => count(r.status_4xx),
    numeric: true,
  },
  {
    key: '5xx',
    label: '5xx',
    value: (r) => r.status_5xx,
    cell: (r) => count(r.status_5xx),
    numeric: true,
  },
  {
    key: 'rate_limited',
    label: 'Rate-limited',
    value: (r) => r.rate_limited,
    cell: (r) => count(r.rate_limited),
    numeric: true,
  },
  {
    key: 'tokens_in',
    label: 'Tokens in',
    value: (r) => r.tokens_in,
    cell: (r) => count(r.tokens_in),
    numeric: true,
  },
  {
    key: 'tokens_out',
    label: 'Tokens out',
    value: (r) => r.tokens_out,
    cell: (r) => count(r.tokens_out),
    numeric: true,
  },
];

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(5, 10);

function totals(view: GatewayView): Html {
  const sum = (pick: (r: GatewayUsageRow) => number) => view.usage.reduce((s, r) => s + pick(r), 0);
  const items: Array<[string, number]> = [
    ['Requests', sum((r) => r.requests)],
    ['4xx', sum((r) => r.status_4xx)],
    ['5xx', sum((r) => r.status_5xx)],
    ['Rate-limit hits', sum((r) => r.rate_limited)],
    ['Tokens in', sum((r) => r.tokens_in)],
    ['Tokens out', sum((r) => r.tokens_out)],
  ];
  return html`<dl class="stats">${items.map(
    ([label, value]) =>
      html`<div data-stat="${label}"><dt>${label}</dt><dd>${count(value)}</dd></div>`,
  )}</dl>`;
}

function requestsChart(view: GatewayView): Html {
  const keys = [...new Set(view.usage.map((r) => r.key_id))].sort();
  const days = view.usage.map((r) => dayNumber(r.day));
  const top = Math.max(1, ...view.usage.map((r) => r.requests));
  const yMax = niceTicks(0, top, 4).find((t) => t >= top) ?? top;
  const first = Math.min(...days);
  const last = Math.max(...days);
  return lineChart({
    id: 'gateway-requests',
    title: 'Requests per day, per key id',
    series: keys.map((key) => ({
      name: key,
      points: view.usage
        .filter((r) => r.key_id === key)
        .map((r) => ({ x: dayNumber(r.day), y: r.requests })),
    })),
    xLabel: 'day',
    yLabel: 'requests',
    yDomain: [0, yMax],
    xTicks: niceTicks(first, last, 6).filter(Number.isInteger),
    xFormat: dayText,
    yFormat: (y) => count(y),
  });
}

/** The Gateway page: traffic per key id and day; keys are named by id, never shown. */
export function gatewayMain(model: PageModel): Html {
  if (!model.info.pages.gateway) {
    return notice('unavailable', 'No gateway runs in this process, so there is no usage to show.');
  }
  const view = model.data.gateway;
  if (!view)
    return notice('error', model.data.errors?.gateway ?? 'The gateway usage could not be read.');
  if (view.usage.length === 0) {
    return html`${totals(view)}${notice('empty', 'No requests metered yet.')}`;
  }
  const names = new Map(view.keys.map((k) => [k.key_id, k.name]));
  const rows: Row[] = view.usage.map((r) => ({ ...r, name: names.get(r.key_id) ?? null }));
  return html`${totals(view)}<div class="charts">${requestsChart(view)}</div><section><h2>Usage per key and day</h2>${sortableTable(
    {
      id: 'usage',
      caption: `${view.keys.length} key${view.keys.length === 1 ? '' : 's'} (${view.keys.filter((k) => k.revoked).length} revoked)`,
      columns: COLUMNS,
      rows,
      sort: model.state.sort ?? GATEWAY_DEFAULT_SORT,
      rowAttributes: (r) => html`data-key="${r.key_id}"`,
    },
  )}</section>`;
}
