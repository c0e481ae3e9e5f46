import { z } from 'zod';

/**
 * Which parts of a chat request the proxy condenses, and how. A message is a long part when
 * its text reaches `minTokens`; the system prompt and the last user turn stay verbatim
 * unless their `keep…` switch is off.
 */
export const CondensePolicySchema = z.object({
  minTokens: z.int().positive().default(1024),
  keepSystem: z.boolean().default(true),
  keepLastUser: z.boolean().default(true),
  /**
   * `text` rewrites each long message with the subnet's compressed text (any upstream);
   * `kv` and `soft` move the long parts into one condensed payload in `signal_condensed`,
   * for an upstream that is `signal serve` on the subnet's target model.
   */
  format: z.enum(['text', 'kv', 'soft']).default('text'),
  /** Tier asked; default the first of the tier table. */
  tier: z.string().min(1).optional(),
  /** The subnet's name of the target model; default the tier's first supporting model. */
  targetModel: z.string().min(1).optional(),
});

export type CondensePolicy = z.output<typeof CondensePolicySchema>;
export type CondensePolicyInput = z.input<typeof CondensePolicySchema>;
