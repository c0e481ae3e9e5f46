import { toFloat16Bits } from '@signal/core';
import { Tensor } from 'onnxruntime-node';
import { HalfKvLayer } from '../kv/HalfKvLayer';
import type { GraphSignature, IndexType } from '../model/GraphSignature';
import { type ForwardInput, forwardShape } from './ForwardInput';

/** ORT feeds for a forward pass, plus the per-row count of real new tokens. */
export interface Feeds {
  feeds: Record<string, Tensor>;
  realCounts: number[];
}

/**
 * A writable index tensor of either integer width. int64 values are written as two 32-bit
 * words (low word first: every platform Node ships for is little-endian) so that the hot
 * decode path never allocates a BigInt; ids, masks and positions are all below 2^31.
 */
class IndexBuffer {
  private readonly words: Int32Array;

  constructor(
    private readonly type: IndexType,
    length: number,
  ) {
    this.words = new Int32Array(type === 'int64' ? length * 2 : length);
  }

  set(i: number, value: number): void {
    this.words[this.type === 'int64' ? i * 2 : i] = value;
  }

  tensor(dims: readonly number[]): Tensor {
    return this.type === 'int64'
      ? new Tensor('int64', new BigInt64Array(this.words.buffer), dims)
      : new Tensor('int32', this.words, dims);
  }
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
    feeds.inputs_embeds =
      signature.embedsType === 'float16'
        ? new Tensor('float16', toFloat16Bits(input.embeds.data), [batch, seq, hidden])
        : new Tensor('float32', input.embeds.data, [batch, seq, hidden]);
  } else if (signature.inputIds) {
    const ids = new IndexBuffer(signature.inputIds, batch * seq);
    input.ids.forEach((row, b) => {
      for (let t = 0; t < seq; t++) ids.set(b * seq + t, row[t]!);
    });
    feeds.input_ids = ids.tensor([batch, seq]);
  }

  const positions = new IndexBuffer(signature.positionIds ?? 'int32', batch * seq);
  const realCounts = new Array<number>(batch);
  for (let b = 0; b < batch; b++) {
    let next = cache.nextPositions[b]!;
    let real = 0;
    for (let t = 0; t < seq; t++) {
      // Padding gets position 1 like transformers' masked_fill: any value works, it is masked.
      if (mask[b * seq + t] === 1) {
        positions.set(b * seq + t, next++);
        real++;
      } else positions.set(b * seq + t, 1);
    }
    realCounts[b] = real;
  }
  if (signature.positionIds) feeds.position_ids = positions.tensor([batch, seq]);

  if (signature.attentionMask) {
    const total = past + seq;
    const full = new IndexBuffer(signature.attentionMask, batch * total);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < past; t++) full.set(b * total + t, cache.mask[b * past + t]!);
      for (let t = 0; t < seq; t++) full.set(b * total + past + t, mask[b * seq + t]!);
    }
    feeds.attention_mask = full.tensor([batch, total]);
  }

  const kvDims = [batch, cache.kvHeads, past, cache.headDim];
  signature.kv.forEach((names, l) => {
    const layer = cache.layers[l]!;
    if (signature.kvType === 'float16') {
      // A layer straight from a float16 graph is fed back as is; others are narrowed once.
      const half = layer instanceof HalfKvLayer;
      feeds[names.pastKey] = new Tensor(
        'float16',
        half ? layer.keyHalf : toFloat16Bits(layer.key),
        kvDims,
      );
      feeds[names.pastValue] = new Tensor(
        'float16',
        half ? layer.valueHalf : toFloat16Bits(layer.value),
        kvDims,
      );
    } else {
      feeds[names.pastKey] = new Tensor('float32', layer.key, kvDims);
      feeds[names.pastValue] = new Tensor('float32', layer.value, kvDims);
    }
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
