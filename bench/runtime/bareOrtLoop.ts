/**
 * The baseline the runtime benchmarks measure CausalLM against: the same ORT session driven
 * by hand, with feeds built inline, presents fed straight back as pasts and an argmax over the
 * last logits row — what a caller without the runtime would write, and a floor for its cost.
 */
import * as ort from 'onnxruntime-node';
import { argmax, type CausalLM } from '../../packages/runtime/src/index';

export interface BareOrtLoop {
  /** One forward pass over `ids` from an empty cache. */
  prefill(ids: readonly number[]): Promise<ort.InferenceSession.ReturnType>;
  /** Greedy decode of `newTokens` tokens after `prompt`; returns them. */
  decode(prompt: readonly number[], newTokens: number): Promise<number[]>;
}

export function bareOrtLoop(lm: CausalLM): BareOrtLoop {
  const { session, signature } = lm;
  const { numLayers, kvHeads, headDim } = signature;
  const int64 = (values: readonly number[], dims: number[]) =>
    new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);

  const emptyPast = (): Record<string, ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = {};
    for (let l = 0; l < numLayers; l++) {
      for (const part of ['key', 'value']) {
        feeds[`past_key_values.${l}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [
          1,
          kvHeads,
          0,
          headDim,
        ]);
      }
    }
    return feeds;
  };
  const prefill = (tokens: readonly number[]) =>
    session.run({
      input_ids: int64(tokens, [1, tokens.length]),
      attention_mask: int64(Array(tokens.length).fill(1), [1, tokens.length]),
      position_ids: int64(
        tokens.map((_, i) => i),
        [1, tokens.length],
      ),
      ...emptyPast(),
    });
  const lastRow = (logits: ort.Tensor) => {
    const [, seq, vocab] = logits.dims as [number, number, number];
    return (logits.data as Float32Array).subarray((seq - 1) * vocab, seq * vocab);
  };

  return {
    prefill,
    decode: async (prompt, newTokens) => {
      let out = await prefill(prompt);
      let past = prompt.length;
      const tokens: number[] = [];
      for (;;) {
        const token = argmax(lastRow(out.logits!));
        tokens.push(token);
        if (tokens.length === newTokens) return tokens;
        const feeds: Record<string, ort.Tensor> = {
          input_ids: int64([token], [1, 1]),
          attention_mask: int64(Array(past + 1).fill(1), [1, past + 1]),
          position_ids: int64([past], [1, 1]),
        };
        for (let l = 0; l < numLayers; l++) {
          feeds[`past_key_values.${l}.key`] = out[`present.${l}.key`]!;
          feeds[`past_key_values.${l}.value`] = out[`present.${l}.value`]!;
        }
        out = await session.run(feeds);
        past++;
      }
    },
  };
}
