import type { Leaderboard, LeaderboardRow } from '@signal/core';

const cell = (row: LeaderboardRow | undefined) =>
  row === undefined ? '' : `${row.accuracy.toFixed(3)} ±${row.ci95.toFixed(3)}`;

/** Per family: one line per method, one column per ratio (`full` under ratio 0). */
function grid(board: Leaderboard, family: string) {
  const rows = board.rows.filter((row) => row.family === family);
  const header = ['method', '0', ...board.ratios.map(String)];
  const lines = board.methods
    .filter((method) => rows.some((row) => row.method === method.name))
    .map((method) => [
      method.query_agnostic ? method.name : `${method.name} *`,
      cell(rows.find((row) => row.method === method.name && row.ratio === 0)),
      ...board.ratios.map((ratio) =>
        cell(rows.find((row) => row.method === method.name && row.ratio === ratio)),
      ),
    ]);
  return { header, lines };
}

function footer(board: Leaderboard): string {
  return `ratio = fraction of cached positions removed; accuracy ±95 % CI over ${board.seeds} seeds × ${board.tasks} tasks; * knows the questions`;
}

/** The leaderboard as aligned plain-text tables, one per family. */
export function leaderboardTable(board: Leaderboard): string {
  const out: string[] = [];
  for (const family of board.families) {
    const { header, lines } = grid(board, family);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const format = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.push(family, format(header), ...lines.map(format), '');
  }
  out.push(footer(board), '');
  return out.join('\n');
}

/** The leaderboard as Markdown: a section and a table per family. */
export function leaderboardMarkdown(board: Leaderboard): string {
  const out = [
    '# Condenser leaderboard (reference model)',
    '',
    `Context up to ${board.context_chars} characters, seed \`${board.seed}\`. ${footer(board)}.`,
    '',
  ];
  for (const family of board.families) {
    const { header, lines } = grid(board, family);
    out.push(
      `## ${family}`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...lines.map((line) => `| \`${line[0]}\` | ${line.slice(1).join(' | ')} |`),
      '',
    );
  }
  return out.join('\n');
}
