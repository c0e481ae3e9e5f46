import { type GenerationOptions, kvCacheFromPayload } from '@signal/runtime';
import type { TargetModelLease } from '../models/TargetModels';
import type { InferenceJob } from './MinerJobs';

/** The prompt and generation options for a request, continuing from its condensed context if any. */
export function generationInput(
  job: InferenceJob,
  lease: TargetModelLease,
  signal: AbortSignal,
): { prompt: string; options: GenerationOptions } {
  const options: GenerationOptions = {
    maxNewTokens: job.maxNewTokens,
    temperature: job.temperature,
    topK: job.topK,
    topP: job.topP,
    ...(job.seed === null ? {} : { seed: job.seed }),
    stopStrings: [...job.stop],
    signal,
    ...(lease.feeds ? { extraFeeds: lease.feeds } : {}),
  };
  const { condensed } = job;
  if (condensed?.format === 'kv') {
    const { numLayers, kvHeads, headDim } = lease.lm.signature;
    // Dequantized (or widened) straight into the dtype the graph's cache takes.
    const cache = kvCacheFromPayload(condensed, {
      expect: { numLayers, kvHeads, headDim },
      dtype: lease.lm.signature.kvType,
    });
    // The condensed context already holds the start of the sequence: no second BOS.
    return { prompt: job.prompt, options: { ...options, cache, addSpecialTokens: false } };
  }
  if (condensed?.format === 'text') {
    return { prompt: `${condensed.text}\n${job.prompt}`, options };
  }
  return { prompt: job.prompt, options };
}
