import { z } from 'zod';
import { py } from '../wire/pyType';
import type { SynapseOf, SynapseSpec } from './SynapseSpec';

/*
 * The Python peer declares (no request fields, so nothing to hash):
 *
 *   class Metadata(bt.Synapse):
 *       tier: Optional[str] = None
 *       models: list[str] = []
 *       adapters: list[str] = []
 *       methods: list[str] = []
 *       limits: dict[str, Any] = {}
 */
const schema = z.object({
  tier: z.string().nullable().default(null),
  models: z.array(z.string()).default([]),
  adapters: z.array(z.string()).default([]),
  /** Condenser methods the miner runs, e.g. `snapkv` or `soft`. */
  methods: z.array(z.string()).default([]),
  /** The miner's own ceilings (context characters, payload bytes, ...), as JSON scalars. */
  limits: z
    .record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]))
    .default({}),
});

/** Asks a miner what it serves: its tier, models, adapters, condenser methods and limits. */
export const Metadata = {
  name: 'Metadata',
  schema,
  fields: [
    ['tier', py.optional(py.str)],
    ['models', py.list(py.str)],
    ['adapters', py.list(py.str)],
    ['methods', py.list(py.str)],
    ['limits', py.dict(py.str, py.any)],
  ],
  requiredFields: [],
  requiredHashFields: [],
  responseFields: ['tier', 'models', 'adapters', 'methods', 'limits'],
  streaming: false,
} as const satisfies SynapseSpec<typeof schema>;

export type MetadataSynapse = SynapseOf<typeof Metadata>;
