import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Leaderboard, LeaderboardSchema } from '@signal/core';
import { exposePreRopeQueries } from '@signal/miner';
import { buildModel, ModelHost, recallVocabulary } from '@signal/runtime';
import { type ReferenceTask, synthesizeTasks } from '@signal/validator';
import { z } from 'zod';
import { aggregateRows, type ScoredTask } from './aggregateRows';
import { LeaderboardError } from './LeaderboardError';
import type { LeaderboardJobs } from './LeaderboardJobs';
import {
  type LeaderboardOptions,
  type LeaderboardOptionsInput,
  LeaderboardOptionsSchema,
} from './LeaderboardOptions';
import { LEADERBOARD_METHODS } from './leaderboardMethods';
import { leaderboardWorkerModule } from './leaderboardWorkerModule';

/** Key/value pairs per single-needle (`recall`) context, one of them asked. */
const RECALL_PAIRS = 8;

export interface RunLeaderboardHooks {
  /** Called once the tasks are dealt, then after every scored task. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Validates leaderboard options, naming every bad one. */
export function leaderboardOptions(input: LeaderboardOptionsInput): LeaderboardOptions {
  const parsed = LeaderboardOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new LeaderboardError('LEADERBOARD_BAD_OPTIONS', 'Invalid leaderboard options.', {
      details: z.prettifyError(parsed.error),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The condenser leaderboard on the reference (recall) model: every method × ratio × family ×
 * seed. The model is built into a temporary directory with the outputs the presses read;
 * tasks are dealt by the validator's own generators and scored in the model host's worker
 * threads, one task per job.
 */
export async function runLeaderboard(
  input: LeaderboardOptionsInput,
  hooks: RunLeaderboardHooks = {},
): Promise<Leaderboard> {
  const options = leaderboardOptions(input);
  const started = performance.now();
  const vocabulary = recallVocabulary();
  const jobs = options.families
    .flatMap((family) =>
      Array.from({ length: options.seeds }, (_, seed) =>
        (
          synthesizeTasks({
            seed: `${options.seed}/${seed}`,
            tier: { name: 'leaderboard', maxContextChars: options.contextChars },
            count: options.tasks,
            families: [family],
            recall: { vocabulary, pairs: RECALL_PAIRS },
          }) as ReferenceTask[]
        ).map((task) => ({ family, seed, task })),
      ),
    )
    .flat();
  hooks.onProgress?.(0, jobs.length);
  const root = await mkdtemp(join(tmpdir(), 'signal-leaderboard-'));
  try {
    const built = await buildModel({
      arch: 'llama',
      preset: 'recall',
      outDir: join(root, 'recall'),
      exposeQueries: true,
    });
    const threads = options.threads ?? availableParallelism();
    const host = await ModelHost.start<LeaderboardJobs>({
      module: leaderboardWorkerModule(await exposePreRopeQueries(built.dir)),
      threads,
      workers: options.workers ?? threads,
      intraOpThreads: 1,
      queueSize: jobs.length,
      name: 'leaderboard',
    });
    try {
      let done = 0;
      const scored: ScoredTask[] = await Promise.all(
        jobs.map(async ({ family, seed, task }) => {
          const cells = await host.run(
            'score',
            { task, methods: options.methods, ratios: options.ratios, vocabulary },
            hooks.signal ? { signal: hooks.signal } : {},
          );
          hooks.onProgress?.(++done, jobs.length);
          return { family, seed, cells };
        }),
      );
      return LeaderboardSchema.parse({
        version: 1,
        model: 'reference',
        seed: options.seed,
        seeds: options.seeds,
        tasks: options.tasks,
        context_chars: options.contextChars,
        ratios: options.ratios,
        families: options.families,
        methods: LEADERBOARD_METHODS.filter((m) => options.methods.includes(m.name)).map((m) => ({
          name: m.name,
          description: m.description,
          query_agnostic: m.queryAgnostic,
        })),
        rows: aggregateRows(scored, options.families),
        wall_seconds: Math.round((performance.now() - started) / 100) / 10,
      });
    } finally {
      await host.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
