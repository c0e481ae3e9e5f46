import { Tensor } from 'onnxruntime-node';
import type { GraphSignature, IndexType } from '../model/GraphSignature';
import { type ForwardInput, forwardShape } from './ForwardInput';

/** ORT feeds for a forward pass, plus the per-row count of real new tokens. */
export interface Feeds {
  feeds: Record<string, Tensor>;
  realCounts: number[];
}

function indexTensor(type: IndexType, values: ArrayLike<number>, dims: readonly number[]): Tensor {
  if (type === 'int32') return new Tensor('int32', Int32Array.from(values), dims);
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
  return new Tensor('int64', data, dims);
}

/**
 * Builds the graph inputs for `input`. Positions continue per row from the cache's
 * `nextPositions` (its original length after pruning), counting real tokens only; the mask
 * is the cache's mask followed by the new tokens', so a pruned cache is attended in full.
 */
export function buildFeeds(signature: GraphSignature, input: ForwardInput): Feeds {
  const { cache } = input;
  const { batch, seq } = forwardShape(input);
  const mask = input.mask ?? new Uint8Array(batch * seq).fill(1);
  const past = cache.length;
  const feeds: Record<string, Tensor> = {};

  if (input.embeds) {
    const hidden = input.embeds.data.length / (batch * seq);
    feeds.inputs_embeds = new Tensor('float32', input.embeds.data, [batch, seq, hidden]);
  } else if (signature.inputIds) {
    feeds.input_ids = indexTensor(signature.inputIds, input.ids.flat(), [batch, seq]);
  }

  const positions = new Array<number>(batch * seq);
  const realCounts = new Array<number>(batch);
  for (let b = 0; b < batch; b++) {
    let next = cache.nextPositions[b]!;
    let real = 0;
    for (let t = 0; t < seq; t++) {
      // Padding gets position 1 like transformers' masked_fill: any value works, it is masked.
      if (mask[b * seq + t] === 1) {
        positions[b * seq + t] = next++;
        real++;
      } else positions[b * seq + t] = 1;
    }
    realCounts[b] = real;
  }
  if (signature.positionIds)
    feeds.position_ids = indexTensor(signature.positionIds, positions, [batch, seq]);

  if (signature.attentionMask) {
    const total = past + seq;
    const full = new Array<number>(batch * total);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < past; t++) full[b * total + t] = cache.mask[b * past + t]!;
      for (let t = 0; t < seq; t++) full[b * total + past + t] = mask[b * seq + t]!;
    }
    feeds.attention_mask = indexTensor(signature.attentionMask, full, [batch, total]);
  }

  const kvDims = [batch, cache.kvHeads, past, cache.headDim];
  signature.kv.forEach((names, l) => {
    const layer = cache.layers[l]!;
    feeds[names.pastKey] = new Tensor('float32', layer.key, kvDims);
    feeds[names.pastValue] = new Tensor('float32', layer.value, kvDims);
  });

  if (signature.logitsToKeep) {
    feeds[signature.logitsToKeep] = new Tensor(
      'int64',
      BigInt64Array.of(BigInt(input.logitsToKeep)),
      [],
    );
  }
  if (signature.useCacheBranch)
    feeds.use_cache_branch = new Tensor('bool', Uint8Array.of(past > 0 ? 1 : 0), [1]);
  if (input.extraFeeds) Object.assign(feeds, input.extraFeeds);
  return { feeds, realCounts };
}
