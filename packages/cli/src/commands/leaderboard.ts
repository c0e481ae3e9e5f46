import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { integerIn } from '@signal/chain';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { LeaderboardError } from '../leaderboard/LeaderboardError';
import { type LeaderboardOptionsInput, QUICK } from '../leaderboard/LeaderboardOptions';
import { leaderboardSvg } from '../leaderboard/leaderboardSvg';
import { leaderboardMarkdown, leaderboardTable } from '../leaderboard/leaderboardTable';
import { runLeaderboard } from '../leaderboard/runLeaderboard';
import { prettyJson } from '../output/prettyJson';

interface LeaderboardFlags {
  json?: boolean;
  out?: string;
  quick?: boolean;
  families?: string;
  methods?: string;
  ratios?: string;
  seeds?: number;
  tasks?: number;
  contextChars?: number;
  seed?: string;
  threads?: number;
  workers?: number;
  progress: boolean;
}

export interface LeaderboardCommandOutput {
  /** Where the table or the JSON goes (stdout). */
  readonly stdout: (text: string) => void;
  /** Where the progress bar draws (stderr); `undefined` draws none. */
  readonly progress: NodeJS.WriteStream | undefined;
}

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

function ratios(text: string): number[] {
  return list(text).map((item) => {
    const ratio = Number(item);
    if (!Number.isFinite(ratio)) {
      throw new LeaderboardError('LEADERBOARD_BAD_OPTIONS', `--ratios: "${item}" is not a number.`);
    }
    return ratio;
  });
}

/** `signal leaderboard`: methods × ratios × families × seeds on the reference model. */
export function leaderboardCommand(
  output: LeaderboardCommandOutput = {
    stdout: (t) => process.stdout.write(t),
    progress: process.stderr,
  },
): Command {
  return new Command('leaderboard')
    .description(
      'Rank KV condensers on the reference model: accuracy of RULER-style questions asked after condensation, per method, ratio and task family',
    )
    .option('--json', 'print one JSON document instead of the table')
    .option('--out <dir>', 'also write leaderboard.json, leaderboard.md and leaderboard.svg there')
    .option(
      '--quick',
      `a small run (${QUICK.seeds} seeds × ${QUICK.tasks} tasks), under two minutes on two cores`,
    )
    .option('--families <list>', 'comma-separated task families [all reference families]')
    .option('--methods <list>', 'comma-separated methods [all]')
    .option('--ratios <list>', 'comma-separated ratios removed [0.25,0.5,0.75,0.875]')
    .option(
      '--seeds <n>',
      'independent seeds (the intervals span them) [5]',
      integerIn('--seeds', 1, 100),
    )
    .option('--tasks <n>', 'tasks per family and seed [8]', integerIn('--tasks', 1, 1000))
    .option(
      '--context-chars <n>',
      'longest context in characters [2500]',
      integerIn('--context-chars', 200, 14_000),
    )
    .option('--seed <text>', 'the seed every task derives from [leaderboard]')
    .option('--threads <n>', 'cores the run may use [all]', integerIn('--threads', 1, 1024))
    .option('--workers <n>', 'model worker threads [one per core]', integerIn('--workers', 1, 1024))
    .option('--no-progress', 'draw no progress bar')
    .showHelpAfterError()
    .exitOverride()
    .action(async (flags: LeaderboardFlags) => {
      const input: LeaderboardOptionsInput = {
        ...(flags.quick ? QUICK : {}),
        ...(flags.families
          ? { families: list(flags.families) as LeaderboardOptionsInput['families'] }
          : {}),
        ...(flags.methods ? { methods: list(flags.methods) } : {}),
        ...(flags.ratios ? { ratios: ratios(flags.ratios) } : {}),
        ...(flags.seeds === undefined ? {} : { seeds: flags.seeds }),
        ...(flags.tasks === undefined ? {} : { tasks: flags.tasks }),
        ...(flags.contextChars === undefined ? {} : { contextChars: flags.contextChars }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.threads === undefined ? {} : { threads: flags.threads }),
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
      };
      const stream = flags.progress ? output.progress : undefined;
      const bar = stream
        ? new SingleBar({
            stream,
            format:
              'leaderboard [{bar}] {value}/{total} tasks | {duration_formatted} | eta {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
          })
        : undefined;
      let started = false;
      let board: Awaited<ReturnType<typeof runLeaderboard>>;
      try {
        board = await runLeaderboard(input, {
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, done);
              started = true;
            } else bar.update(done);
          },
        });
      } finally {
        bar?.stop();
      }
      if (flags.out) {
        const dir = resolve(flags.out);
        await mkdir(dir, { recursive: true });
        await Promise.all([
          writeFile(join(dir, 'leaderboard.json'), prettyJson(board)),
          writeFile(join(dir, 'leaderboard.md'), leaderboardMarkdown(board)),
          writeFile(join(dir, 'leaderboard.svg'), leaderboardSvg(board)),
        ]);
      }
      output.stdout(flags.json ? prettyJson(board) : leaderboardTable(board));
    });
}
