import type { QualityView } from '../api/QualityView';
import { lineChart } from '../charts/lineChart';
import { count, fixed, utcTime } from './format';
import { type Html, html } from './html';
import { notice } from './notice';
import type { PageModel } from './PageModel';

function sourceLine(view: QualityView): Html {
  const source = view.source;
  return source.kind === 'leaderboard'
    ? html`<p class="muted" data-source="leaderboard">From <code>${source.file}</code> (signal leaderboard on ${source.model}, ${source.seeds} seed${source.seeds === 1 ? '' : 's'}, written ${utcTime(source.written_at)} UTC); bands are 95 % intervals across seeds.</p>`
    : html`<p class="muted" data-source="validator">From this validator's own evaluations (${count(source.evaluations)} recent responses); ratio is the fraction of the context a response removed, bands are 95 % intervals over the responses.</p>`;
}

/** The Quality page: accuracy against compression ratio per family, a line per method. */
export function qualityMain(model: PageModel): Html {
  if (!model.info.pages.quality) {
    return notice(
      'unavailable',
      'No leaderboard file was given and this process evaluates nothing.',
    );
  }
  const view = model.data.quality;
  if (!view)
    return notice('error', model.data.errors?.quality ?? 'The quality data could not be read.');
  if (view.families.length === 0)
    return html`${sourceLine(view)}${notice('empty', 'No evaluations yet.')}`;
  return html`${sourceLine(view)}<div class="charts">${view.families.map((family) =>
    lineChart({
      id: `quality-${family.family}`,
      title: family.family,
      series: family.methods.map((method) => ({
        name: method.method,
        points: method.points.map((p) => ({ x: p.ratio, y: p.accuracy })),
        band: method.points.map((p) => ({ x: p.ratio, low: p.low, high: p.high })),
      })),
      xLabel: 'ratio removed',
      yLabel: 'accuracy',
      xDomain: [0, 1],
      xFormat: (x) => x.toFixed(2),
      yFormat: (y) => y.toFixed(1),
    }),
  )}</div><section><h2>Points</h2><div class="table-wrap"><table id="quality-points"><caption>Accuracy per family, method and ratio</caption><thead><tr><th scope="col">Family</th><th scope="col">Method</th><th scope="col" class="num">Ratio</th><th scope="col" class="num">Accuracy</th><th scope="col" class="num">95 % interval</th><th scope="col" class="num">n</th></tr></thead><tbody>${view.families.flatMap(
    (family) =>
      family.methods.flatMap((method) =>
        method.points.map(
          (p) =>
            html`<tr><td>${family.family}</td><td>${method.method}</td><td class="num">${fixed(p.ratio, 2)}</td><td class="num">${fixed(p.accuracy)}</td><td class="num">${fixed(p.low)}–${fixed(p.high)}</td><td class="num">${p.n}</td></tr>`,
        ),
      ),
  )}</tbody></table></div></section>`;
}
