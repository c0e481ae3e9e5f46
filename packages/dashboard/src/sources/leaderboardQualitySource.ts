import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { QualityMethod, QualityView } from '../api/QualityView';
import { DashboardError } from '../errors/DashboardError';

/** The part of `signal leaderboard --json` output the Quality page draws. */
const LeaderboardFileSchema = z.object({
  model: z.string().min(1),
  seeds: z.int().positive(),
  rows: z
    .array(
      z.object({
        family: z.string().min(1),
        method: z.string().min(1),
        ratio: z.number().min(0).max(1),
        accuracy: z.number().min(0).max(1),
        /** Half-width of the 95 % interval across seeds. */
        ci95: z.number().min(0),
        query_agnostic: z.boolean(),
      }),
    )
    .min(1),
});

/** Turns leaderboard rows into the Quality page's families and methods. */
export function qualityFromLeaderboard(
  document: unknown,
  file: { name: string; writtenAt: number },
  now = Date.now(),
): QualityView {
  const parsed = LeaderboardFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new DashboardError(
      'DASHBOARD_LEADERBOARD_INVALID',
      `${file.name} is not a leaderboard document.`,
      { details: z.prettifyError(parsed.error), cause: parsed.error },
    );
  }
  const { model, seeds, rows } = parsed.data;
  const families = [...new Set(rows.map((row) => row.family))].sort();
  return {
    source: { kind: 'leaderboard', file: file.name, model, seeds, written_at: file.writtenAt },
    families: families.map((family) => {
      const inFamily = rows.filter((row) => row.family === family);
      const methods = [...new Set(inFamily.map((row) => row.method))].sort();
      return {
        family,
        methods: methods.map((method): QualityMethod => {
          const points = inFamily
            .filter((row) => row.method === method)
            .sort((a, b) => a.ratio - b.ratio);
          return {
            method,
            query_agnostic: points[0]!.query_agnostic,
            points: points.map((row) => ({
              ratio: row.ratio,
              accuracy: row.accuracy,
              low: Math.max(0, row.accuracy - row.ci95),
              high: Math.min(1, row.accuracy + row.ci95),
              n: seeds,
            })),
          };
        }),
      };
    }),
    generated_at: now,
  };
}

/**
 * The Quality page from the latest `signal leaderboard --json` (or `--out`'s
 * `leaderboard.json`) file: re-read whenever the file changes, so a new run shows up
 * without a restart. Only the file's base name reaches the page.
 */
export function leaderboardQualitySource(path: string): () => Promise<QualityView> {
  let cached: { mtimeMs: number; size: number; view: QualityView } | undefined;
  return async () => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      throw new DashboardError(
        'DASHBOARD_LEADERBOARD_INVALID',
        'The leaderboard file is missing.',
        {
          details: `${basename(path)}: ${(error as Error).message}`,
          cause: error,
        },
      );
    }
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.view;
    let document: unknown;
    try {
      document = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new DashboardError(
        'DASHBOARD_LEADERBOARD_INVALID',
        'The leaderboard file is not JSON.',
        {
          details: `${basename(path)}: ${(error as Error).message}`,
          cause: error,
        },
      );
    }
    const view = qualityFromLeaderboard(document, {
      name: basename(path),
      writtenAt: Math.round(info.mtimeMs),
    });
    cached = { mtimeMs: info.mtimeMs, size: info.size, view };
    return view;
  };
}
