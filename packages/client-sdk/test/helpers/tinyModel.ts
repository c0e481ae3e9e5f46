import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncodedKvPayload, KvFormat, KvPayload } from '@signal/core';
import { buildModel, CausalLM, kvCacheToEncodedPayload, kvCacheToPayload } from '@signal/runtime';
import { TEST_MODEL } from './testTiers';

/** A real tiny Llama written by the runtime's model builder, loaded on ONNX Runtime. */
export interface TinyModel {
  lm: CausalLM;
  dispose(): Promise<void>;
}

export async function loadTinyModel(): Promise<TinyModel> {
  const dir = await mkdtemp(join(tmpdir(), 'signal-client-'));
  await buildModel({ arch: 'llama', size: 'tiny', seed: 7, outDir: dir });
  const lm = await CausalLM.load(dir);
  return {
    lm,
    dispose: async () => {
      await lm.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What an honest KV miner does, minus the scoring heuristics: prefill the context, keep
 * every `stride`-th position (always the last), and ship the pruned cache.
 */
export async function condenseKv(
  lm: CausalLM,
  context: string,
  stride: number,
  dtype: 'float16' | 'float32' = 'float16',
): Promise<KvPayload> {
  const ids = lm.tokenizer.encode(context);
  const { cache } = await lm.prefill(ids);
  const keep = ids.map((_, i) => i).filter((i) => i % stride === (ids.length - 1) % stride);
  return kvCacheToPayload(cache.gather(keep), {
    model: TEST_MODEL,
    dtype,
    originalTokens: ids.length,
  });
}

/** The same pruned cache, encoded as `format` with raw tensors (what a miner frames). */
export async function condenseEncoded(
  lm: CausalLM,
  context: string,
  stride: number,
  format: KvFormat,
): Promise<EncodedKvPayload> {
  const ids = lm.tokenizer.encode(context);
  const { cache } = await lm.prefill(ids);
  const keep = ids.map((_, i) => i).filter((i) => i % stride === (ids.length - 1) % stride);
  return kvCacheToEncodedPayload(cache.gather(keep), {
    model: TEST_MODEL,
    format,
    originalTokens: ids.length,
  });
}
