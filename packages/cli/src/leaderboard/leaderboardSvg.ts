import type { Leaderboard } from '@signal/core';

const PANEL = { width: 300, height: 220, left: 44, right: 12, top: 28, bottom: 36 };
const COLUMNS = 3;
const LEGEND_ROW = 18;
/** Distinguishable on white (Tableau 10, then greys for the ceilings). */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#1f77b4',
  '#8c564b',
];

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (x: number) => x.toFixed(1);

/**
 * Accuracy against ratio as an SVG: one panel per family, one line per method over the
 * ratios with its 95 % band shaded, `full` as a dashed line across the panel and `oracle`
 * dotted. Written by hand: a dozen lines and polygons need no plotting library.
 */
export function leaderboardSvg(board: Leaderboard): string {
  const methods = board.methods.map((m) => m.name);
  const color = (method: string) => PALETTE[methods.indexOf(method) % PALETTE.length]!;
  const rowsOfPanels = Math.ceil(board.families.length / COLUMNS);
  const legendRows = Math.ceil(methods.length / 4);
  const width = COLUMNS * PANEL.width;
  const height = rowsOfPanels * PANEL.height + legendRows * LEGEND_ROW + 16;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const parts: string[] = [];
  board.families.forEach((family, index) => {
    const ox = (index % COLUMNS) * PANEL.width + PANEL.left;
    const oy = Math.floor(index / COLUMNS) * PANEL.height + PANEL.top;
    const x = (ratio: number) => ox + ratio * plotW;
    const y = (accuracy: number) => oy + (1 - accuracy) * plotH;
    parts.push(
      `<text x="${fixed(ox + plotW / 2)}" y="${fixed(oy - 10)}" text-anchor="middle" font-weight="bold">${escapeXml(family)}</text>`,
      `<rect x="${ox}" y="${oy}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    );
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      parts.push(
        `<line x1="${fixed(ox)}" y1="${fixed(y(tick))}" x2="${fixed(ox + plotW)}" y2="${fixed(y(tick))}" stroke="#eee"/>`,
        `<text x="${fixed(ox - 4)}" y="${fixed(y(tick) + 4)}" text-anchor="end" font-size="10">${tick}</text>`,
      );
    }
    for (const ratio of board.ratios) {
      parts.push(
        `<text x="${fixed(x(ratio))}" y="${fixed(oy + plotH + 14)}" text-anchor="middle" font-size="10">${ratio}</text>`,
      );
    }
    parts.push(
      `<text x="${fixed(ox + plotW / 2)}" y="${fixed(oy + plotH + 28)}" text-anchor="middle" font-size="10">ratio removed</text>`,
    );
    for (const method of methods) {
      const rows = board.rows
        .filter((row) => row.family === family && row.method === method)
        .sort((a, b) => a.ratio - b.ratio);
      if (rows.length === 0) continue;
      if (method === 'full') {
        const at = y(rows[0]!.accuracy);
        parts.push(
          `<line x1="${fixed(ox)}" y1="${fixed(at)}" x2="${fixed(ox + plotW)}" y2="${fixed(at)}" stroke="${color(method)}" stroke-dasharray="6 3"/>`,
        );
        continue;
      }
      const upper = rows.map(
        (r) => `${fixed(x(r.ratio))},${fixed(y(Math.min(1, r.accuracy + r.ci95)))}`,
      );
      const lower = rows
        .map((r) => `${fixed(x(r.ratio))},${fixed(y(Math.max(0, r.accuracy - r.ci95)))}`)
        .reverse();
      parts.push(
        `<polygon points="${[...upper, ...lower].join(' ')}" fill="${color(method)}" fill-opacity="0.15" stroke="none"/>`,
        `<polyline points="${rows.map((r) => `${fixed(x(r.ratio))},${fixed(y(r.accuracy))}`).join(' ')}" fill="none" stroke="${color(method)}" stroke-width="1.8"${method === 'oracle' ? ' stroke-dasharray="2 2"' : ''}/>`,
      );
    }
  });
  const legendTop = rowsOfPanels * PANEL.height + 8;
  methods.forEach((method, i) => {
    const lx = 16 + (i % 4) * (width / 4);
    const ly = legendTop + Math.floor(i / 4) * LEGEND_ROW;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${color(method)}" stroke-width="3"/>`,
      `<text x="${lx + 26}" y="${ly + 4}" font-size="11">${escapeXml(method)}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
