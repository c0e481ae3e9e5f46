import type { CausalLM, KvCache } from '@signal/runtime';
import type { Tensor } from 'onnxruntime-node';
import type { HeadScores } from '../HeadScores';
import { PressInputError } from '../PressInputError';
import type { ReconstructionAttention } from './ReconstructionAttention';

export interface ReconstructionOptions {
  /** Context tokens re-read per forward pass (default 512). */
  chunkTokens?: number;
  /** Leading cache positions every chunk's rows may also attend, and that are always kept (default 4). */
  sinkTokens?: number;
  /** Tokens of the previous chunk repeated before the next one, so it reads on (default 8). */
  overlapTokens?: number;
}

export const DEFAULT_RECONSTRUCTION_CHUNK = 512;
export const DEFAULT_RECONSTRUCTION_SINKS = 4;
export const DEFAULT_RECONSTRUCTION_OVERLAP = 8;
/** The instruction before each repeated chunk (encoded with the target tokenizer). */
export const REPEAT_INSTRUCTION = '\n\nRepeat the context above, word for word.\n';

export interface ReconstructionScoresParameters {
  lm: CausalLM;
  /** A single-row cache holding the positions to score (a full prefill, or a pruned prefix plus a window). */
  cache: KvCache;
  /** Token ids at cache positions `[start, start + tokens.length)`: the part scored. */
  tokens: readonly number[];
  /** Cache index of `tokens[0]` (default 0). */
  start?: number;
  attention: ReconstructionAttention;
  /** Feeds the model needs on every pass (a LoRA adapter's stacks). */
  extraFeeds?: Readonly<Record<string, Tensor>>;
  options?: ReconstructionOptions;
}

/** Floats of the largest `[groups, rows, keys]` weights tensor one attention run may hold (64 MiB). */
const MAX_WEIGHT_FLOATS = 16 * 1024 * 1024;
const MASKED = -1e30;
/** Above any softmax weight: sinks always stay. */
const SINK_SCORE = 2;

const positive = (name: string, value: number, allowZero = false) => {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new PressInputError(
      `reconstruction ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}.`,
    );
  }
  return value;
};

/**
 * The context-reconstruction press (KVzip's idea, arXiv 2505.23416): the model is asked to
 * repeat its context, and each cached position is scored by the most attention it receives
 * from any query of the repeat, per layer and KV head (maximum over the query heads of its
 * group). Nothing about a future question goes in, so the scores serve any question.
 *
 * The context is re-read in chunks: each pass feeds the instruction, the last
 * `overlapTokens` of the previous chunk and the chunk itself on top of the unchanged cache
 * (the pass's own cache is dropped), and the chunk's rows are scored against the sinks,
 * the chunk's cached positions and their own causal prefix, as KVzip does. The model must
 * expose its post-RoPE queries (`queries.N`, as for snapkv).
 */
export async function reconstructionScores(
  parameters: ReconstructionScoresParameters,
): Promise<HeadScores[]> {
  const { lm, cache, tokens, attention } = parameters;
  const start = positive('start', parameters.start ?? 0, true);
  const options = parameters.options ?? {};
  const chunkTokens = positive('chunkTokens', options.chunkTokens ?? DEFAULT_RECONSTRUCTION_CHUNK);
  const sinkTokens = positive(
    'sinkTokens',
    options.sinkTokens ?? DEFAULT_RECONSTRUCTION_SINKS,
    true,
  );
  const overlap = positive(
    'overlapTokens',
    options.overlapTokens ?? DEFAULT_RECONSTRUCTION_OVERLAP,
    true,
  );
  const length = tokens.length;
  if (length === 0 || start + length > cache.length) {
    throw new PressInputError(
      `reconstruction scores ${length} tokens from cache index ${start}, but the cache holds ${cache.length}.`,
    );
  }
  const { kvHeads, headDim } = cache;
  const layers = cache.numLayers;
  const instruction = lm.tokenizer.encode(REPEAT_INSTRUCTION, { addSpecialTokens: false });
  const out = Array.from({ length: layers }, () => new Float32Array(kvHeads * length));
  const scale = 1 / Math.sqrt(headDim);

  for (let from = 0; from < length; from += chunkTokens) {
    const to = Math.min(length, from + chunkTokens);
    const lead = tokens.slice(Math.max(0, from - overlap), from);
    const repeat = [...instruction, ...lead, ...tokens.slice(from, to)];
    const pass = await lm.forward({
      ids: [repeat],
      cache,
      logitsToKeep: 1,
      ...(parameters.extraFeeds ? { extraFeeds: parameters.extraFeeds } : {}),
    });
    const rows = repeat.length;
    const first = pass.extras['queries.0'];
    if (!first) {
      throw new PressInputError(
        'reconstruction needs the graph output "queries.0", which this model does not expose.',
        'Export the model with its post-RoPE queries as outputs (exposeQueries).',
      );
    }
    const heads = (first.dims as readonly number[])[1]!;
    if (heads % kvHeads !== 0) {
      throw new PressInputError(`queries have ${heads} heads, not a multiple of ${kvHeads}.`);
    }
    const group = heads / kvHeads;
    const chunkStart = start + from;
    const sinks = Math.min(sinkTokens, chunkStart);
    const chunk = to - from;
    const columns = sinks + chunk + rows;
    const total = pass.cache.length;
    // Row w (of any group member) sees every sink and chunk column and its own prefix of the repeat.
    const bias = new Float32Array(group * rows * columns);
    for (let r = 0; r < group * rows; r++) {
      bias.fill(MASKED, r * columns + sinks + chunk + (r % rows) + 1, (r + 1) * columns);
    }
    const perRun = Math.max(1, Math.floor(MAX_WEIGHT_FLOATS / (kvHeads * group * rows * columns)));
    for (let l0 = 0; l0 < layers; l0 += perRun) {
      const count = Math.min(perRun, layers - l0);
      const groups = count * kvHeads;
      const queries = new Float32Array(groups * group * rows * headDim);
      const keys = new Float32Array(groups * columns * headDim);
      for (let l = 0; l < count; l++) {
        const layer = l0 + l;
        const q = pass.extras[`queries.${layer}`]?.data as Float32Array | undefined;
        if (!q)
          throw new PressInputError(`reconstruction needs the graph output queries.${layer}.`);
        const k = pass.cache.layers[layer]!.key;
        for (let h = 0; h < kvHeads; h++) {
          const g0 = l * kvHeads + h;
          for (let member = 0; member < group; member++) {
            const source = (h * group + member) * rows * headDim;
            const target = (g0 * group + member) * rows * headDim;
            for (let i = 0; i < rows * headDim; i++) queries[target + i] = q[source + i]! * scale;
          }
          const keyBase = h * total * headDim;
          const into = g0 * columns * headDim;
          keys.set(k.subarray(keyBase, keyBase + sinks * headDim), into);
          keys.set(
            k.subarray(keyBase + chunkStart * headDim, keyBase + (chunkStart + chunk) * headDim),
            into + sinks * headDim,
          );
          keys.set(
            k.subarray(keyBase + cache.length * headDim, keyBase + total * headDim),
            into + (sinks + chunk) * headDim,
          );
        }
      }
      const peak = await attention.peak({
        groups,
        rows: group * rows,
        keys: columns,
        headDim,
        queries,
        keyData: keys,
        bias,
      });
      for (let l = 0; l < count; l++) {
        for (let h = 0; h < kvHeads; h++) {
          const row = (l * kvHeads + h) * columns + sinks;
          out[l0 + l]!.set(peak.subarray(row, row + chunk), h * length + from);
        }
      }
    }
  }
  for (const scores of out) {
    for (let h = 0; h < kvHeads; h++) {
      for (let j = 0; j < Math.min(length, sinkTokens - start); j++) {
        scores[h * length + j] = SINK_SCORE;
      }
    }
  }
  return out.map((data) => ({ heads: kvHeads, length, data }));
}
