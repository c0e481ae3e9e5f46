import { z } from 'zod';

/** `signal devnet` settings, as the flags give them after parsing (defaults filled in). */
export const DevnetOptionsSchema = z.object({
  /** Honest miners, each with a different condenser; one deliberately poor miner joins them. */
  miners: z.int().min(1).max(8).default(4),
  epochs: z.int().min(1).max(1_000).default(1),
  /** Seconds between epochs of the validator's own loop, once `keepRunning` hands over to it. */
  epochLengthSeconds: z.number().positive().max(86_400).default(60),
  /** Seeds the validator's tasks, so two runs with the same seed ask the same questions. */
  seed: z.int().min(0).max(0xffffffff).default(1),
  /** Where models, wallets and state are cached between runs. */
  dataDir: z.string().min(1).default('.devnet'),
  /** After the report, keep the subnet (and the gateway) up until Ctrl-C. */
  keepRunning: z.boolean().default(false),
  /** Print exactly one JSON object on stdout instead of the readable report. */
  json: z.boolean().default(false),
  /** Tasks each miner answers per epoch. */
  tasksPerMiner: z.int().min(1).max(64).default(8),
  debug: z.boolean().default(false),
  /** Run the subnet with commit-reveal on (the default, as most finney subnets do). */
  commitReveal: z.boolean().default(true),
  /** With `keepRunning`, where the validator serves its dashboard (port 0: any free one). */
  dashboard: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.int().min(0).max(65_535).default(0),
      token: z.string().optional(),
      leaderboardFile: z.string().min(1).optional(),
    })
    .prefault({}),
});

export type DevnetOptions = z.output<typeof DevnetOptionsSchema>;
export type DevnetOptionsInput = z.input<typeof DevnetOptionsSchema>;
