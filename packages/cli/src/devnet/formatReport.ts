import type { DevnetReport } from './DevnetReport';

const fixed = (value: number, digits = 3) => value.toFixed(digits);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The readable report `signal devnet` prints when `--json` is not given. */
export function formatReport(report: DevnetReport): string {
  const rows = report.miners.map((m) => [
    String(m.uid),
    `${m.method}${m.poor ? ' (poor)' : ''}`,
    `${m.hotkey.slice(0, 8)}…`,
    fixed(m.ratio, 2),
    fixed(m.accuracy),
    m.fidelity === null ? 'n/a' : fixed(m.fidelity),
    fixed(m.compression),
    m.latency_ms.toFixed(0),
    fixed(m.score),
    fixed(m.weight),
    fixed(m.incentive),
  ]);
  const { client } = report;
  const commitReveal = report.commit_reveal.enabled
    ? [
        'Commit-reveal (weights timelocked to the local beacon, revealed by the chain):',
        ...report.commit_reveal.commits.map(
          (c) =>
            `  epoch ${c.epoch}: committed at block ${c.commit_block} to round ${c.reveal_round}, reveal epoch ${c.reveal_epoch}: ${c.outcome}${c.settled_block === null ? '' : ` at block ${c.settled_block}`}${c.reason ? ` (${c.reason})` : ''}`,
        ),
        '',
      ]
    : ['Commit-reveal: off (weights set in the clear).', ''];
  return [
    `Signal devnet: subnet ${report.netuid}, ${report.epochs} epoch(s), block ${report.block}, ${(report.wall_time_ms / 1000).toFixed(1)} s`,
    '',
    table(
      [
        'uid',
        'method',
        'hotkey',
        'ratio',
        'accuracy',
        'fidelity',
        'compression',
        'latency_ms',
        'score',
        'weight',
        'incentive',
      ],
      rows,
    ),
    '',
    `Client example (through the gateway, ${client.format} payload from miner ${client.miner_uid}):`,
    `  tokens:               ${client.original_tokens} -> ${client.condensed_tokens} (${(client.original_tokens / client.condensed_tokens).toFixed(2)}x fewer)`,
    `  question:             ${JSON.stringify(client.question)}`,
    `  expected:             ${JSON.stringify(client.expected)}`,
    `  answer (condensed):   ${JSON.stringify(client.answer)}`,
    `  answer (full context): ${JSON.stringify(client.full_context_answer)}`,
    '',
    ...commitReveal,
  ].join('\n');
}
