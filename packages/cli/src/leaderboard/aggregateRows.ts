import type { LeaderboardRow } from '@signal/core';
import { LEADERBOARD_METHODS } from './leaderboardMethods';
import type { TaskCell } from './scoreTask';
import { meanWithCi95 } from './studentT';

/** A scored task's cells, with the family and seed it was drawn for. */
export interface ScoredTask {
  readonly family: string;
  readonly seed: number;
  readonly cells: readonly TaskCell[];
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * One row per family × method × ratio: the mean over seeds of each seed's mean accuracy over
 * its tasks, with the 95 % interval across seeds. Rows follow `families`, then the method
 * table's order, then the ratio.
 */
export function aggregateRows(
  scored: readonly ScoredTask[],
  families: readonly string[],
): LeaderboardRow[] {
  const bySeed = new Map<string, Map<number, number[]>>();
  for (const { family, seed, cells } of scored) {
    for (const cell of cells) {
      const key = JSON.stringify([family, cell.method, cell.ratio]);
      const seeds = bySeed.get(key) ?? new Map<number, number[]>();
      bySeed.set(key, seeds);
      seeds.set(seed, [...(seeds.get(seed) ?? []), cell.accuracy]);
    }
  }
  const order = (method: string) => LEADERBOARD_METHODS.findIndex((m) => m.name === method);
  const rows: LeaderboardRow[] = [...bySeed.entries()].map(([key, seeds]) => {
    const [family, method, ratio] = JSON.parse(key) as [string, string, number];
    const seedMeans = [...seeds.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    const { mean, ci95 } = meanWithCi95(seedMeans);
    const spec = LEADERBOARD_METHODS[order(method)]!;
    return {
      family,
      method,
      ratio,
      accuracy: round(Math.min(1, Math.max(0, mean))),
      ci95: round(ci95),
      query_agnostic: spec.queryAgnostic,
    };
  });
  return rows.sort(
    (a, b) =>
      families.indexOf(a.family) - families.indexOf(b.family) ||
      order(a.method) - order(b.method) ||
      a.ratio - b.ratio,
  );
}
