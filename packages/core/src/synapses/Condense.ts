import { z } from 'zod';
import { CondensedPayloadSchema } from '../payload/CondensedPayload';
import { py } from '../wire/pyType';
import type { SynapseOf, SynapseSpec } from './SynapseSpec';

/*
 * The Python peer declares:
 *
 *   class Condense(bt.Synapse):
 *       context: str
 *       target_model: str
 *       tier: str
 *       adapter: Optional[str] = None
 *       condensed: Optional[CondensedPayload] = None
 *       required_hash_fields: ClassVar[tuple[str, ...]] = ("context", "target_model", "tier")
 */
const schema = z.object({
  context: z.string(),
  target_model: z.string(),
  tier: z.string(),
  adapter: z.string().nullable().default(null),
  condensed: CondensedPayloadSchema.nullable().default(null),
});

/** Asks a miner to condense `context` for `target_model` under `tier`'s limits. */
export const Condense = {
  name: 'Condense',
  schema,
  fields: [
    ['context', py.str],
    ['target_model', py.str],
    ['tier', py.str],
    ['adapter', py.optional(py.str)],
    // A discriminated union of pydantic models has no single model type; model_dump() still
    // yields a plain dict whose Python types follow its JSON, which is what `any` means.
    ['condensed', py.optional(py.any)],
  ],
  requiredFields: ['context', 'target_model', 'tier'],
  requiredHashFields: ['context', 'target_model', 'tier'],
  responseFields: ['condensed'],
  streaming: false,
} as const satisfies SynapseSpec<typeof schema>;

export type CondenseSynapse = SynapseOf<typeof Condense>;
