import type { NeuronRow, SubnetView } from '../api/SubnetView';
import { count, fixed, shortKey, taoAmount } from './format';
import { type Html, html } from './html';
import { notice } from './notice';
import type { PageModel } from './PageModel';
import { type Column, type SortState, sortableTable } from './sortableTable';

export const SUBNET_DEFAULT_SORT: SortState = { key: 'uid', dir: 'asc' };

const COLUMNS: readonly Column<NeuronRow>[] = [
  { key: 'uid', label: 'UID', value: (n) => n.uid, numeric: true },
  {
    key: 'hotkey',
    label: 'Hotkey',
    value: (n) => n.hotkey,
    cell: (n) =>
      html`<code title="${n.hotkey}">${shortKey(n.hotkey)}</code>${n.validator_permit ? html` <span class="tag">validator</span>` : ''}`,
  },
  {
    key: 'stake',
    label: 'Stake',
    value: (n) => n.stake_tao,
    cell: (n) => taoAmount(n.stake_tao),
    numeric: true,
  },
  {
    key: 'trust',
    label: 'Trust',
    value: (n) => n.trust,
    cell: (n) => fixed(n.trust),
    numeric: true,
  },
  {
    key: 'incentive',
    label: 'Incentive',
    value: (n) => n.incentive,
    cell: (n) => fixed(n.incentive),
    numeric: true,
  },
  {
    key: 'dividends',
    label: 'Dividends',
    value: (n) => n.dividends,
    cell: (n) => fixed(n.dividends),
    numeric: true,
  },
  {
    key: 'axon',
    label: 'Axon',
    value: (n) => (n.axon ? `${n.axon.ip}:${n.axon.port}` : ''),
    cell: (n) => (n.axon ? html`<code>${n.axon.ip}:${n.axon.port}</code>` : '–'),
  },
  {
    key: 'last_update',
    label: 'Last update',
    value: (n) => n.last_update,
    numeric: true,
  },
];

function stats(view: SubnetView): Html {
  const cr = view.commit_reveal;
  const items: Array<[string, unknown]> = [
    ['Netuid', view.netuid],
    ['Block', count(view.block)],
    ['Tempo', view.tempo],
    ['Neurons', view.neurons.length],
    ['Commit-reveal', cr.enabled ? 'on' : 'off'],
    ['Pending commits', cr.pending.length],
  ];
  return html`<dl class="stats">${items.map(
    ([label, value]) => html`<div data-stat="${label}"><dt>${label}</dt><dd>${value}</dd></div>`,
  )}</dl>`;
}

function commits(view: SubnetView): Html {
  const cr = view.commit_reveal;
  if (!cr.enabled && cr.pending.length === 0) {
    return html`<section><h2>Weight commits</h2>${notice('empty', 'Commit-reveal is off on this subnet: weights are set in the clear.')}</section>`;
  }
  const pending =
    cr.pending.length === 0
      ? notice('empty', 'No pending commits.')
      : html`<div class="table-wrap"><table id="commits"><caption>Pending commits (reveal period ${cr.reveal_period_epochs} epoch${cr.reveal_period_epochs === 1 ? '' : 's'}, chain epoch ${cr.epoch}, beacon round ${count(cr.last_stored_round)})</caption><thead><tr><th scope="col">Hotkey</th><th scope="col" class="num">UID</th><th scope="col" class="num">Epoch</th><th scope="col" class="num">Reveal epoch</th><th scope="col" class="num">Reveal round</th><th scope="col" class="num">Block</th><th scope="col">Commit</th></tr></thead><tbody>${cr.pending.map(
          (c) =>
            html`<tr><td><code title="${c.hotkey}">${shortKey(c.hotkey)}</code></td><td class="num">${c.uid ?? '–'}</td><td class="num">${c.epoch}</td><td class="num">${c.reveal_epoch}</td><td class="num">${count(c.reveal_round)}</td><td class="num">${c.block}</td><td><code title="${c.commit_hash}">${shortKey(c.commit_hash)}</code></td></tr>`,
        )}</tbody></table></div>`;
  const reveals =
    cr.reveals && cr.reveals.length > 0
      ? html`<div class="table-wrap"><table id="reveals"><caption>Recent reveals</caption><thead><tr><th scope="col">Hotkey</th><th scope="col" class="num">Epoch</th><th scope="col" class="num">Block</th><th scope="col">Outcome</th></tr></thead><tbody>${[
          ...cr.reveals,
        ]
          .reverse()
          .slice(0, 16)
          .map(
            (r) =>
              html`<tr><td><code title="${r.hotkey}">${shortKey(r.hotkey)}</code></td><td class="num">${r.epoch}</td><td class="num">${r.block}</td><td>${r.outcome}${r.reason ? html` <span class="muted">(${r.reason})</span>` : ''}</td></tr>`,
          )}</tbody></table></div>`
      : '';
  return html`<section><h2>Weight commits</h2>${pending}${reveals}</section>`;
}

/** The Subnet page's content: chain figures, the sortable metagraph, the weight commits. */
export function subnetMain(model: PageModel): Html {
  const view = model.data.subnet;
  if (!model.info.pages.subnet) {
    return notice('unavailable', 'This process has no chain to read the metagraph from.');
  }
  if (!view)
    return notice('error', model.data.errors?.subnet ?? 'The metagraph could not be read.');
  return html`${stats(view)}<section><h2>Metagraph</h2>${sortableTable({
    id: 'metagraph',
    caption: `Netuid ${view.netuid} at block ${count(view.block)}: ${view.neurons.length} neurons`,
    columns: COLUMNS,
    rows: view.neurons,
    sort: model.state.sort ?? SUBNET_DEFAULT_SORT,
    rowAttributes: (n) => html`data-uid="${n.uid}"`,
  })}</section>${commits(view)}`;
}
