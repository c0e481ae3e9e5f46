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
  maxValidators: z.number().int().positive(),
  activityCutoff: z.number().int().positive(),
  registrationAllowed: z.boolean(),
  servingRateLimit: z.number().int().nonnegative(),
  /** Rao emitted into the subnet per block, paid out at each epoch. */
  emissionPerBlock: bigintString,
});

export const LocalSubnetSchema = z.object({
  netuid: z.number().int().min(0).max(65535),
  hyperparameters: LocalHyperparametersSchema,
  neurons: z.array(LocalNeuronSchema),
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
});

export type LocalAxon = z.infer<typeof LocalAxonSchema>;
export type LocalNeuron = z.infer<typeof LocalNeuronSchema>;
export type LocalHyperparameters = z.infer<typeof LocalHyperparametersSchema>;
export type LocalSubnet = z.infer<typeof LocalSubnetSchema>;
export type LocalChainState = z.infer<typeof LocalChainStateSchema>;
