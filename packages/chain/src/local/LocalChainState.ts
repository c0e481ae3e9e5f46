import { z } from 'zod';

const bigintString = z
  .string()
  .regex(/^\d+$/, 'expected a non-negative integer as a decimal string');
const unit = z.number().min(0).max(1);

export const LocalAxonSchema = z.object({
  ip: z.string(),
  port: z.number().int().min(0).max(65535),
  ipType: z.union([z.literal(4), z.literal(6)]),
  version: z.number().int().nonnegative(),
  protocol: z.number().int().nonnegative(),
});

export const LocalNeuronSchema = z.object({
  uid: z.number().int().nonnegative(),
  hotkey: z.string(),
  coldkey: z.string(),
  /** Alpha stake in rao: LocalChain has a single stake currency. */
  stake: bigintString,
  axon: LocalAxonSchema.nullable(),
  registeredAt: z.number().int().nonnegative(),
  lastUpdate: z.number().int().nonnegative(),
  validatorPermit: z.boolean(),
  incentive: unit,
  consensus: unit,
  trust: unit,
  dividends: unit,
  emission: bigintString,
  /** The last weights this uid set: [uid, u16 weight] pairs. */
  weights: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().min(0).max(65535)])),
});

export const LocalHyperparametersSchema = z.object({
  tempo: z.number().int().positive(),
  immunityPeriod: z.number().int().nonnegative(),
  minAllowedWeights: z.number().int().nonnegative(),
  maxWeightsLimit: z.number().int().min(0).max(65535),
  weightsRateLimit: z.number().int().nonnegative(),
  weightsVersion: bigintString,
  commitRevealWeightsEnabled: z.boolean(),
  /** `RevealPeriodEpochs` (1–100, as the pallet bounds it). Files older than the field get 1. */
  commitRevealPeriod: z.number().int().min(1).max(100).default(1),
  maxValidators: z.number().int().positive(),
  activityCutoff: z.number().int().positive(),
  registrationAllowed: z.boolean(),
  servingRateLimit: z.number().int().nonnegative(),
  /** Rao emitted into the subnet per block, paid out at each epoch. */
  emissionPerBlock: bigintString,
});

/** A timelocked weights commit waiting for its reveal epoch (`TimelockedWeightCommits`). */
export const LocalCommitSchema = z.object({
  hotkey: z.string(),
  /** The epoch it is filed under. */
  epoch: z.number().int().nonnegative(),
  block: z.number().int().nonnegative(),
  revealRound: z.number().int().positive(),
  commitHex: z.string().regex(/^0x([0-9a-f]{2})*$/),
});

/** What became of a commit in its reveal epoch (the pallet's events, kept for inspection). */
export const LocalRevealEventSchema = z.object({
  hotkey: z.string(),
  epoch: z.number().int().nonnegative(),
  revealRound: z.number().int().positive(),
  block: z.number().int().nonnegative(),
  outcome: z.enum(['revealed', 'dropped', 'expired']),
  reason: z.string().optional(),
});

export const LocalSubnetSchema = z.object({
  netuid: z.number().int().min(0).max(65535),
  hyperparameters: LocalHyperparametersSchema,
  neurons: z.array(LocalNeuronSchema),
  commits: z.array(LocalCommitSchema).default([]),
  /** The latest reveal events, oldest first (bounded). */
  reveals: z.array(LocalRevealEventSchema).default([]),
});

/**
 * The chain's clock and its beacon. Block `b` is at `genesisTime + b × blockSeconds`, and
 * the beacon (quicknet's scheme with its own key, `periodSeconds` rounds from genesisTime)
 * has published, and the chain ingested, every round up to that time.
 */
export const LocalCommitRevealSchema = z.object({
  /** `CommitRevealWeightsVersion`. */
  version: z.number().int().min(0).max(65535),
  genesisTime: z.number().int().nonnegative(),
  blockSeconds: z.number().positive(),
  beaconSecretKeyHex: z.string().regex(/^[0-9a-f]{64}$/),
  beaconPeriodSeconds: z.number().int().positive(),
});

/** Version 1 of the LocalChain state file. */
export const LocalChainStateSchema = z.object({
  version: z.literal(1),
  block: z.number().int().nonnegative(),
  /**
   * When a block timer last produced a block (ms since the Unix epoch). Every process sharing
   * the file runs a timer; this keeps them to one block per period between them.
   */
  lastBlockAtMs: z.number().nonnegative().optional(),
  subnets: z.array(LocalSubnetSchema),
  /** Absent in files written before commit-reveal; a writable open adds it. */
  commitReveal: LocalCommitRevealSchema.optional(),
});

export type LocalAxon = z.infer<typeof LocalAxonSchema>;
export type LocalNeuron = z.infer<typeof LocalNeuronSchema>;
export type LocalHyperparameters = z.infer<typeof LocalHyperparametersSchema>;
export type LocalSubnet = z.infer<typeof LocalSubnetSchema>;
export type LocalChainState = z.infer<typeof LocalChainStateSchema>;
export type LocalCommit = z.infer<typeof LocalCommitSchema>;
export type LocalRevealEvent = z.infer<typeof LocalRevealEventSchema>;
export type LocalCommitReveal = z.infer<typeof LocalCommitRevealSchema>;
