import { z } from 'zod';

const u16 = z.number().int().min(0).max(65535);

/**
 * One timelocked weights commit this validator sent, as kept in its state file until its
 * fate is known (and a while after, as history): what it carried, when the chain reveals
 * it, and what the validator saw on a later sync.
 */
export const WeightCommitRecordSchema = z
  .object({
    netuid: u16,
    /** The chain epoch the commit is filed under; the validator commits at most once per epoch. */
    epoch: z.number().int().nonnegative(),
    /** The epoch the chain reveals it in. */
    revealEpoch: z.number().int().nonnegative(),
    revealRound: z.number().int().positive(),
    /** The block the commit landed in. */
    block: z.number().int().nonnegative(),
    /** blake2-256 of the commit bytes (0x-hex), as the chain's event names it. */
    commitHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    /** The u16 weights inside the commit. */
    uids: z.array(u16),
    weights: z.array(u16),
    /** Decimal u64. */
    versionKey: z.string().regex(/^\d+$/),
    /** Epoch milliseconds when it was sent. */
    committedAt: z.number().int().nonnegative(),
    /**
     * `pending` until the reveal epoch has come and the chain no longer holds it; then
     * `revealed` (the chain holds exactly these weights), `superseded` (a later commit's
     * weights were revealed before this one could be checked) or `missing` (the chain
     * dropped it or let it expire: `detail` says which, as far as the chain tells).
     */
    status: z.enum(['pending', 'revealed', 'superseded', 'missing']),
    /** The block of the sync that settled the status, null while pending. */
    checkedAtBlock: z.number().int().nonnegative().nullable(),
    detail: z.string().optional(),
  })
  .refine((record) => record.uids.length === record.weights.length, {
    path: ['weights'],
    message: 'uids and weights must have the same length',
  });

export type WeightCommitRecord = z.infer<typeof WeightCommitRecordSchema>;
