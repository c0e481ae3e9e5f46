import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { EvaluateError } from './EvaluateError';

/**
 * Token ids to input embeddings with a model directory's `onnx/embed_tokens.onnx`, for decoders
 * that take `inputs_embeds` (the ones soft payloads are made for): every token the validator
 * feeds such a model goes through it.
 */
export class TokenEmbedder {
  private constructor(
    private readonly session: InferenceSession,
    readonly hidden: number,
  ) {}

  static async open(modelDir: string, hidden: number): Promise<TokenEmbedder> {
    const path = join(modelDir, 'onnx', 'embed_tokens.onnx');
    try {
      await access(path);
    } catch (cause) {
      throw new EvaluateError(
        'EVAL_MODEL_UNKNOWN',
        'The model takes inputs_embeds but has no embedder.',
        {
          details: `${path} is missing`,
          cause,
        },
      );
    }
    const session = await InferenceSession.create(path, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    return new TokenEmbedder(session, hidden);
  }

  /** `[ids.length, hidden]` in C order. */
  async embed(ids: readonly number[]): Promise<Float32Array> {
    if (ids.length === 0) return new Float32Array(0);
    const input = new Tensor(
      'int64',
      BigInt64Array.from(ids, (id) => BigInt(id)),
      [1, ids.length],
    );
    const output = (await this.session.run({ input_ids: input })).inputs_embeds;
    if (
      !output ||
      !(output.data instanceof Float32Array) ||
      output.data.length !== ids.length * this.hidden
    ) {
      throw new EvaluateError(
        'EVAL_MODEL_UNKNOWN',
        'The embedder returned no usable inputs_embeds.',
        {
          details: `expected float32 [1, ${ids.length}, ${this.hidden}]`,
        },
      );
    }
    return output.data;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
