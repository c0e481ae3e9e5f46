import {
  encodeModel,
  type ForwardResult,
  type SessionOptionsInput,
  SessionOptionsSchema,
  toOrtSessionOptions,
} from '@signal/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { MinerRequestError } from '../models/MinerRequestError';
import type { HeadScores } from '../presses/HeadScores';
import { PressInputError } from '../presses/PressInputError';
import { snapKvScoresFromAttention, snapKvWindow } from '../presses/snapkv';
import { maskedAttentionGraph } from './maskedAttentionGraph';
import { queriesOutput } from './pressLayers';

/** Floats of the largest `[groups, rows, length]` logits tensor one run may hold (64 MiB). */
const MAX_LOGIT_FLOATS = 16 * 1024 * 1024;
/** Masked logits: far below any real one, yet finite so a softmax row never turns into NaN. */
const MASKED = -1e30;

export interface SnapKvParameters {
  readonly window: number;
  readonly kernel: number;
}

/**
 * SnapKV scoring with the window's attention computed in ONNX Runtime: one session (a tiny
 * graph, `maskedAttentionGraph('sum')`) serves every model and layer, runs several layers per call,
 * and hands the summed attention to the same pooling as the TypeScript press, so both pick
 * the same positions.
 */
export class WindowAttention {
  private constructor(private readonly session: InferenceSession) {}

  static async create(session: SessionOptionsInput = {}): Promise<WindowAttention> {
    const options = toOrtSessionOptions(SessionOptionsSchema.parse(session));
    return new WindowAttention(
      await InferenceSession.create(encodeModel(maskedAttentionGraph('sum')), options),
    );
  }

  /** Per-layer SnapKV scores for a single-row prefill whose graph exposes `queries.N`. */
  async snapKvScores(prefill: ForwardResult, parameters: SnapKvParameters): Promise<HeadScores[]> {
    const { cache, extras } = prefill;
    const { kvHeads, headDim, length } = cache;
    const layers = cache.layers.length;
    const first = extras[queriesOutput(0)];
    if (!first) {
      throw new MinerRequestError(
        'MINER_NOT_SERVED',
        `Press "snapkv" needs the graph output "${queriesOutput(0)}", which this model does not expose.`,
        { details: 'Export the model with its post-RoPE queries as outputs (exposeQueries).' },
      );
    }
    const [, heads = 0, queryRows = 0] = first.dims as readonly number[];
    if (heads % kvHeads !== 0) {
      throw new PressInputError(
        `queries have ${heads} heads, not a multiple of the ${kvHeads} KV heads.`,
      );
    }
    const group = heads / kvHeads;
    const window = snapKvWindow(length, parameters.window);
    if (length === 1) {
      return cache.layers.map(() => ({ heads: kvHeads, length, data: new Float32Array(kvHeads) }));
    }
    const rows = group * window;
    const prefix = length - window;
    const bias = new Float32Array(rows * length);
    for (let r = 0; r < rows; r++) {
      // Window row w sees keys [0, prefix + w].
      bias.fill(MASKED, r * length + prefix + (r % window) + 1, (r + 1) * length);
    }
    const biasTensor = new Tensor('float32', bias, [rows, length]);
    const perRun = Math.max(1, Math.floor(MAX_LOGIT_FLOATS / (kvHeads * rows * length)));
    const scale = 1 / Math.sqrt(headDim);
    const scores: HeadScores[] = [];
    for (let start = 0; start < layers; start += perRun) {
      const count = Math.min(perRun, layers - start);
      const groups = count * kvHeads;
      const queries = new Float32Array(groups * rows * headDim);
      const keys = new Float32Array(groups * length * headDim);
      for (let l = 0; l < count; l++) {
        const layer = start + l;
        keys.set(cache.layers[layer]!.key, l * kvHeads * length * headDim);
        const q = extras[queriesOutput(layer)]?.data as Float32Array | undefined;
        if (!q) throw new PressInputError(`snapkv needs the graph output ${queriesOutput(layer)}.`);
        for (let head = 0; head < heads; head++) {
          const from = (head * queryRows + queryRows - window) * headDim;
          const to = (l * heads + head) * window * headDim;
          for (let i = 0; i < window * headDim; i++) queries[to + i] = q[from + i]! * scale;
        }
      }
      const outputs = await this.session.run({
        queries: new Tensor('float32', queries, [groups, rows, headDim]),
        keys: new Tensor('float32', keys, [groups, length, headDim]),
        bias: biasTensor,
      });
      const attended = outputs.attended!.data as Float32Array;
      for (let l = 0; l < count; l++) {
        const slice = attended.subarray(l * kvHeads * length, (l + 1) * kvHeads * length);
        scores.push(
          snapKvScoresFromAttention(slice, {
            kvHeads,
            length,
            window,
            group,
            kernel: parameters.kernel,
          }),
        );
      }
    }
    return scores;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
