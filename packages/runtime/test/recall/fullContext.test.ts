import { argmax, recallTokenBudget, recallVocabulary } from '@signal/runtime';
import { type RecallContext, recallContext } from './recallContext';
import { type LoadedRecallModel, loadRecallModel } from './recallModel';

const vocabulary = recallVocabulary();
/** The largest tier (`inference_1`) holds 7 000 characters. */
const BUDGET = recallTokenBudget(7000, vocabulary);
const LENGTHS = [16, 64, 256, 1024, 2048, BUDGET];
/** Rows per batch: each a different seeded context, shorter rows left-padded. */
const ROWS = 3;
const MAX_PAIRS = 8;

let model: LoadedRecallModel;

beforeAll(async () => {
  model = await loadRecallModel();
});
afterAll(async () => {
  await model?.cleanup();
});

describe('the recall model with its full context', () => {
  it('derives the token budget of the largest tier from its tokenizer', () => {
    // Shortest token "," plus the joiner: two characters a token at the very densest.
    expect(BUDGET).toBe(3500);
    expect(BUDGET + 2).toBeLessThanOrEqual(model.built.config.max_position_embeddings);
  });

  it('answers at least 99 % of seeded questions at every length up to the budget', async () => {
    const { lm } = model;
    const results: { length: number; asked: number; right: number }[] = [];
    for (const [index, length] of LENGTHS.entries()) {
      const contexts: RecallContext[] = Array.from({ length: ROWS }, (_, row) => {
        const rowLength = Math.max(8, length - 5 * row);
        return recallContext(lm.tokenizer, vocabulary, {
          length: rowLength,
          pairs: Math.min(MAX_PAIRS, Math.floor((rowLength - 1) / 6)),
          seed: 1000 * index + row,
        });
      });
      const { cache } = await lm.prefill(contexts.map((c) => c.ids));
      const questions = Math.max(...contexts.map((c) => c.pairs.length));
      let asked = 0;
      let right = 0;
      for (let q = 0; q < questions; q++) {
        const pairs = contexts.map((c) => c.pairs[q % c.pairs.length]!);
        const { logits } = await lm.step(
          pairs.map((p) => p.key),
          cache,
        );
        pairs.forEach((pair, row) => {
          if (q >= contexts[row]!.pairs.length) return;
          asked++;
          if (argmax(logits.at(row)) === pair.value) right++;
        });
      }
      results.push({ length, asked, right });
    }
    const asked = results.reduce((sum, r) => sum + r.asked, 0);
    expect(asked).toBeGreaterThanOrEqual(100);
    for (const result of results) expect(result.right / result.asked).toBeGreaterThanOrEqual(0.99);
  }, 240_000);

  // Long contexts (the long_context tier) go past the 4 096 positions the model first took;
  // the full 64 k is measured by bench/recall/longContext.ts, too slow for a test.
  it('answers past 4 096 positions from a cache prefilled in chunks', async () => {
    const { lm } = model;
    const context = recallContext(lm.tokenizer, vocabulary, { length: 6000, pairs: 8, seed: 4242 });
    const { cache } = await lm.prefill(context.ids, { chunkTokens: 1024 });
    expect(cache.length).toBe(6000);
    let right = 0;
    for (const pair of context.pairs) {
      const { logits } = await lm.step(pair.key, cache);
      if (argmax(logits.at(0)) === pair.value) right++;
    }
    expect(right).toBe(context.pairs.length);
    expect(model.built.config.max_position_embeddings).toBeGreaterThanOrEqual(64_002);
  }, 120_000);

  it('writes the answer as text the validator matches', async () => {
    const { lm } = model;
    const context = recallContext(lm.tokenizer, vocabulary, { length: 300, pairs: 6, seed: 77 });
    const pair = context.pairs[2]!;
    const prompt = [...context.ids, pair.key];
    const { text } = await lm.generateText(prompt, { maxNewTokens: 1 });
    expect(text.trimStart()).toBe(lm.tokenizer.decode([pair.value]));
    expect(vocabulary.values).toContain(text.trimStart());
  });
});
