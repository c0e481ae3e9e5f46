import {
  encodeModel,
  type SessionOptionsInput,
  SessionOptionsSchema,
  toOrtSessionOptions,
} from '@signal/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { maskedAttentionGraph } from '../../condensers/maskedAttentionGraph';

/** One batch of groups for `peakAttention`: queries scaled by 1/√head_dim, keys, and the mask. */
export interface PeakAttentionInput {
  readonly groups: number;
  readonly rows: number;
  readonly keys: number;
  readonly headDim: number;
  /** `[groups, rows, head_dim]`. */
  readonly queries: Float32Array;
  /** `[groups, keys, head_dim]`. */
  readonly keyData: Float32Array;
  /** `[rows, keys]`: 0 where a row may attend, a large negative number where it may not. */
  readonly bias: Float32Array;
}

/**
 * The reconstruction press's attention in ONNX Runtime: one small session
 * (`maskedAttentionGraph('max')`) that any model and layer can use, returning for each group
 * the largest softmax weight any row puts on each key.
 */
export class ReconstructionAttention {
  private constructor(private readonly session: InferenceSession) {}

  static async create(session: SessionOptionsInput = {}): Promise<ReconstructionAttention> {
    const options = toOrtSessionOptions(SessionOptionsSchema.parse(session));
    return new ReconstructionAttention(
      await InferenceSession.create(encodeModel(maskedAttentionGraph('max')), options),
    );
  }

  /** `[groups, keys]` peak attention. */
  async peak(input: PeakAttentionInput): Promise<Float32Array> {
    const { groups, rows, keys, headDim } = input;
    const outputs = await this.session.run({
      queries: new Tensor('float32', input.queries, [groups, rows, headDim]),
      keys: new Tensor('float32', input.keyData, [groups, keys, headDim]),
      bias: new Tensor('float32', input.bias, [rows, keys]),
    });
    return outputs.peak!.data as Float32Array;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
