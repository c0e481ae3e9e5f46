import { performance } from 'node:perf_hooks';
import { type EncodedPayload, encodeFloatTensor } from '@signal/core';
import type { TargetModels } from '../models/TargetModels';
import { poolEmbeddings } from '../soft/poolEmbeddings';
import type { CondenseTimings } from './CondenseResult';

export interface CondenseSoftParameters {
  readonly models: TargetModels;
  readonly model: string;
  readonly ids: readonly number[];
  readonly kept: number;
  readonly hidden: number;
  readonly dtype: 'float16' | 'float32';
}

/** Soft tokens: the context's input embeddings mean-pooled in consecutive chunks to `kept` rows. */
export async function condenseSoft(
  parameters: CondenseSoftParameters,
): Promise<{ payload: Extract<EncodedPayload, { format: 'soft' }>; timings: CondenseTimings }> {
  const { models, model, ids, kept, hidden, dtype } = parameters;
  const n = ids.length;
  let clock = performance.now();
  const data = await models.embed(model, ids);
  const prefillMs = performance.now() - clock;
  clock = performance.now();
  const pooled = poolEmbeddings({ data, rows: n, hidden }, { ratio: (n - kept) / n });
  const scoringMs = performance.now() - clock;
  clock = performance.now();
  const payload: Extract<EncodedPayload, { format: 'soft' }> = {
    format: 'soft',
    model,
    original_tokens: n,
    condensed_tokens: pooled.rows,
    embeddings: encodeFloatTensor(pooled.data, [pooled.rows, hidden], dtype, 'embeddings'),
  };
  return {
    payload,
    timings: { prefillMs, scoringMs, gatherMs: 0, encodeMs: performance.now() - clock },
  };
}
