import { z } from 'zod';

/** The body of `POST /v1/condense`. */
export const CondenseRequestSchema = z.strictObject({
  context: z.string().min(1),
  tier: z.string().min(1).optional(),
  target_model: z.string().min(1).optional(),
  format: z.enum(['kv', 'soft', 'text']).optional(),
});
export type CondenseRequest = z.infer<typeof CondenseRequestSchema>;

/** The body of a 200 answer. */
export interface CondenseResponse {
  payload: unknown;
  miner_uid: number;
  latency_ms: number;
}
