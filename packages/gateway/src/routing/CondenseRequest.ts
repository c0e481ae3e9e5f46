import { z } from 'zod';

/**
 * A string a miner can receive: JSON can carry a lone surrogate ("\ud800"), but UTF-8 cannot,
 * and the synapse's body hash is over UTF-8 (Python raises UnicodeEncodeError), so such text
 * is refused here, naming its field, instead of failing on its way to the miner.
 */
const unicodeText = z
  .string()
  .min(1)
  .refine((text) => !/\p{Cs}/u.test(text), {
    message: 'holds a lone UTF-16 surrogate, which has no UTF-8 encoding',
  });

/** The body of `POST /v1/condense`. */
export const CondenseRequestSchema = z.strictObject({
  context: unicodeText,
  tier: unicodeText.optional(),
  target_model: unicodeText.optional(),
  format: z.enum(['kv', 'soft', 'text']).optional(),
});
export type CondenseRequest = z.infer<typeof CondenseRequestSchema>;

/** The body of a 200 answer. */
export interface CondenseResponse {
  payload: unknown;
  miner_uid: number;
  latency_ms: number;
}
