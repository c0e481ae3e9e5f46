import { z } from 'zod';
import { CondensedPayloadSchema } from '../payload/CondensedPayload';
import { py } from '../wire/pyType';
import type { SynapseOf, SynapseSpec } from './SynapseSpec';

/*
 * The Python peer declares (a StreamingSynapse, since `stream=True` answers in chunks):
 *
 *   class Inference(bt.StreamingSynapse):
 *       model: str
 *       prompt: str
 *       adapter: Optional[str] = None
 *       condensed: Optional[CondensedPayload] = None
 *       max_new_tokens: int = 64
 *       temperature: float = 0.0
 *       top_k: int = 0
 *       top_p: float = 1.0
 *       seed: Optional[int] = None
 *       stop: list[str] = []
 *       stream: bool = False
 *       completion: Optional[str] = None
 *       tokens: Optional[list[int]] = None
 */
const schema = z.object({
  model: z.string(),
  prompt: z.string(),
  adapter: z.string().nullable().default(null),
  condensed: CondensedPayloadSchema.nullable().default(null),
  max_new_tokens: z.number().int().positive().default(64),
  temperature: z.number().nonnegative().default(0),
  top_k: z.number().int().nonnegative().default(0),
  top_p: z.number().gt(0).max(1).default(1),
  seed: z.number().int().nonnegative().nullable().default(null),
  stop: z.array(z.string().min(1)).default([]),
  stream: z.boolean().default(false),
  completion: z.string().nullable().default(null),
  tokens: z.array(z.number().int().nonnegative()).nullable().default(null),
});

/** Runs the target model on `prompt`, optionally continuing from a condensed context. */
export const Inference = {
  name: 'Inference',
  schema,
  fields: [
    ['model', py.str],
    ['prompt', py.str],
    ['adapter', py.optional(py.str)],
    ['condensed', py.optional(py.any)],
    ['max_new_tokens', py.int],
    ['temperature', py.float],
    ['top_k', py.int],
    ['top_p', py.float],
    ['seed', py.optional(py.int)],
    ['stop', py.list(py.str)],
    ['stream', py.bool],
    ['completion', py.optional(py.str)],
    ['tokens', py.optional(py.list(py.int))],
  ],
  requiredFields: ['model', 'prompt'],
  // `condensed` is left out on purpose: hashing it means building Python's str() of a
  // multi-megabyte dict on both sides for every request. Its integrity rests on the signed
  // transport and on validatePayload, which checks it against the receiver's limits anyway.
  requiredHashFields: [
    'model',
    'prompt',
    'adapter',
    'max_new_tokens',
    'temperature',
    'top_k',
    'top_p',
    'seed',
    'stop',
    'stream',
  ],
  responseFields: ['completion', 'tokens'],
  streaming: true,
} as const satisfies SynapseSpec<typeof schema>;

export type InferenceSynapse = SynapseOf<typeof Inference>;
