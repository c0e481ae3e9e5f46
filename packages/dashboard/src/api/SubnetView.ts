import { z } from 'zod';

const Fraction = z.number().min(0).max(1);

/** One metagraph row; stakes in TAO (and exactly, in rao, as a decimal string). */
export const NeuronRowSchema = z.object({
  uid: z.int().nonnegative(),
  hotkey: z.string().min(1),
  stake_tao: z.number().nonnegative(),
  stake_rao: z.string().regex(/^\d+$/),
  trust: Fraction,
  consensus: Fraction,
  incentive: Fraction,
  dividends: Fraction,
  emission_tao: z.number().nonnegative(),
  validator_permit: z.boolean(),
  active: z.boolean(),
  /** Where the neuron serves; null when it never served an axon. */
  axon: z.object({ ip: z.string().min(1), port: z.int().min(0).max(65_535) }).nullable(),
  /** Block of the neuron's last weight update. */
  last_update: z.int().nonnegative(),
});
export type NeuronRow = z.infer<typeof NeuronRowSchema>;

/** A timelocked weights commit the chain still holds (the ciphertext itself is left out). */
export const PendingCommitSchema = z.object({
  hotkey: z.string().min(1),
  /** The committer's uid, when it still holds one. */
  uid: z.int().nonnegative().nullable(),
  epoch: z.int().nonnegative(),
  reveal_epoch: z.int().nonnegative(),
  reveal_round: z.int().nonnegative(),
  block: z.int().nonnegative(),
  commit_hash: z.string().min(1),
});
export type PendingCommit = z.infer<typeof PendingCommitSchema>;

export const RevealRowSchema = z.object({
  hotkey: z.string().min(1),
  epoch: z.int().nonnegative(),
  block: z.int().nonnegative(),
  outcome: z.enum(['revealed', 'dropped', 'expired']),
  reason: z.string().nullable(),
});
export type RevealRow = z.infer<typeof RevealRowSchema>;

/** `GET /dashboard/api/subnet`: the metagraph at one block and the subnet's weight path. */
export const SubnetViewSchema = z.object({
  netuid: z.int().min(0).max(65_535),
  block: z.int().nonnegative(),
  tempo: z.int().nonnegative(),
  neurons: z.array(NeuronRowSchema),
  commit_reveal: z.object({
    enabled: z.boolean(),
    reveal_period_epochs: z.int().nonnegative(),
    /** The chain epoch at `block`. */
    epoch: z.int().nonnegative(),
    /** The newest beacon round the chain holds. */
    last_stored_round: z.int().nonnegative(),
    pending: z.array(PendingCommitSchema),
    /** Recent reveals, newest last; null when the chain cannot list them (subtensor). */
    reveals: z.array(RevealRowSchema).nullable(),
  }),
  /** Epoch milliseconds the view was read at. */
  generated_at: z.int().nonnegative(),
});
export type SubnetView = z.infer<typeof SubnetViewSchema>;
