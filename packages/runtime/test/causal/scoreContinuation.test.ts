import { isSignalError } from '@signal/core';
import { type CausalLM, logProb } from '@signal/runtime';
import { maxAbsDiff, tinyModel } from './tinyModel';

let lm: CausalLM;
let keepLm: CausalLM;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  const plain = await tinyModel();
  const withKeep = await tinyModel({ numLogitsToKeep: true });
  lm = plain.lm;
  keepLm = withKeep.lm;
  cleanups.push(plain.cleanup, withKeep.cleanup);
});
afterAll(() => Promise.all(cleanups.map((c) => c())));

/** The reference: one forward over everything, all logits, log-softmax at each scored position. */
async function reference(
  model: CausalLM,
  context: number[],
  continuation: number[],
): Promise<number[]> {
  const all = [...context, ...continuation];
  const { logits } = await model.prefill(all, { allLogits: true });
  return continuation.map((token, i) => logProb(logits.at(0, context.length - 1 + i), token));
}

describe('scoreContinuation', () => {
  const context = 'Paris is the capital of';
  const answer = ' France, and Berlin is the capital of Germany.';

  it('matches log-softmax over full logits, in one pass or in small chunks', async () => {
    const ctx = lm.tokenizer.encode(context);
    const cont = lm.tokenizer.encode(answer, { addSpecialTokens: false });
    const want = await reference(lm, ctx, cont);
    const whole = await lm.scoreContinuation(ctx, cont);
    expect(maxAbsDiff(whole.logProbs, want)).toBeLessThanOrEqual(1e-4);
    expect(whole.total).toBeCloseTo(
      want.reduce((a, b) => a + b, 0),
      3,
    );
    // Three positions' worth of logits at a time forces chunked runs through the cache.
    const chunked = await lm.scoreContinuation(ctx, cont, { maxLogitFloats: 3 * lm.vocabSize });
    expect(maxAbsDiff(chunked.logProbs, want)).toBeLessThanOrEqual(1e-4);
    expect(whole.logProbs.every((lp) => lp < 0 && Number.isFinite(lp))).toBe(true);
  });

  it('uses num_logits_to_keep where the graph has it, with the same result', async () => {
    expect(keepLm.signature.logitsToKeep).toBe('num_logits_to_keep');
    expect(lm.signature.logitsToKeep).toBeUndefined();
    const ctx = lm.tokenizer.encode(context);
    const cont = lm.tokenizer.encode(answer, { addSpecialTokens: false });
    const plain = await lm.scoreContinuation(ctx, cont);
    const kept = await keepLm.scoreContinuation(ctx, cont);
    expect(maxAbsDiff(plain.logProbs, kept.logProbs)).toBeLessThanOrEqual(1e-4);
    const { logits } = await keepLm.prefill(ctx);
    expect(logits.positions).toBe(1);
  });

  it('scores from a cache, and from a pruned cache after a prompt', async () => {
    const ctx = lm.tokenizer.encode(context);
    const cont = lm.tokenizer.encode(answer, { addSpecialTokens: false });
    const { cache } = await lm.prefill(ctx);
    const fromCache = await lm.scoreContinuation(cache, cont);
    expect(maxAbsDiff(fromCache.logProbs, await reference(lm, ctx, cont))).toBeLessThanOrEqual(
      1e-4,
    );

    const pruned = cache.gather([0, 1, 2, ctx.length - 1]);
    const error = await lm.scoreContinuation(pruned, cont).catch((e: unknown) => e);
    expect(isSignalError(error, 'LM_NO_PREDICTOR')).toBe(true);

    const prompt = lm.tokenizer.encode(' Question:', { addSpecialTokens: false });
    const scored = await lm.scoreContinuation(pruned, cont, { prompt });
    const { logits } = await lm.prefill([...prompt, ...cont], { cache: pruned, allLogits: true });
    const want = cont.map((t, i) => logProb(logits.at(0, prompt.length - 1 + i), t));
    expect(maxAbsDiff(scored.logProbs, want)).toBeLessThanOrEqual(1e-4);
  });

  it('returns nothing for an empty continuation', async () => {
    const result = await lm.scoreContinuation([1, 2, 3], []);
    expect(result.logProbs).toHaveLength(0);
    expect(result.total).toBe(0);
  });
});
