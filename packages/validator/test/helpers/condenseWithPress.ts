import type { KvPayload } from '@signal/core';
import { type PressName, runPress } from '@signal/miner';
import { type CausalLM, kvCacheToPayload } from '@signal/runtime';

/** A real kv payload: prefill the context, prune it with one of the miner's presses. */
export async function condenseWithPress(
  lm: CausalLM,
  model: string,
  context: string,
  press: PressName,
  ratio: number,
): Promise<KvPayload> {
  const { cache } = await lm.prefill(lm.tokenizer.encode(context));
  const shape = [cache.kvHeads, cache.length, cache.headDim] as const;
  const selection = runPress({
    press: press as 'knorm',
    layers: cache.layers.map((layer) => ({
      keys: { data: layer.key, shape },
      values: { data: layer.value, shape },
    })),
    ratio,
  });
  const keep = selection.layers.map((heads) => heads.map((positions) => Array.from(positions)));
  return kvCacheToPayload(cache.gather(keep), { model });
}
