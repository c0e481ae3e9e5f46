import { z } from 'zod';

/** Tier names travel in synapses and config files; keep them identifier-like so logs and CLIs stay unambiguous. */
const TierNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and underscores');

/**
 * One tier of the subnet: which contexts it takes, what it pays and how strictly its
 * condensed payloads are bounded. Compression rate here is `condensed_tokens / original_tokens`
 * (the fraction of tokens kept), so a lower rate means stronger compression.
 */
export const TierConfigSchema = z
  .object({
    name: TierNameSchema,
    /** Longest accepted context, in Unicode code points (Python's `len(str)`). */
    maxContextChars: z.number().int().positive(),
    /** Share of the validator's weight this tier distributes; all tiers sum to 1. */
    incentive: z.number().min(0).max(1),
    /** Target models miners of this tier must serve. */
    supportingModels: z.array(z.string().min(1)).min(1),
    timeoutSeconds: z.number().positive().finite(),
    requestsPerEpoch: z.number().int().nonnegative(),
    minCondensedTokens: z.number().int().positive(),
    maxCondensedTokens: z.number().int().positive(),
    minCompressionRate: z.number().gt(0).max(1),
    maxCompressionRate: z.number().gt(0).max(1),
    /** The accelerate-reward scalar: how much compression counts against accuracy in a score. */
    alpha: z.number().min(0).max(1),
    /** Largest payload (tensor buffers as sent, base64) a receiver accepts before decoding. */
    maxPayloadBytes: z.number().int().positive(),
  })
  .superRefine((tier, ctx) => {
    if (tier.minCondensedTokens > tier.maxCondensedTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCondensedTokens'],
        message: `minCondensedTokens (${tier.minCondensedTokens}) exceeds maxCondensedTokens (${tier.maxCondensedTokens})`,
      });
    }
    if (tier.minCompressionRate > tier.maxCompressionRate) {
      ctx.addIssue({
        code: 'custom',
        path: ['minCompressionRate'],
        message: `minCompressionRate (${tier.minCompressionRate}) exceeds maxCompressionRate (${tier.maxCompressionRate})`,
      });
    }
    if (new Set(tier.supportingModels).size !== tier.supportingModels.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportingModels'],
        message: 'lists a model more than once',
      });
    }
  });

export type TierConfig = z.infer<typeof TierConfigSchema>;
